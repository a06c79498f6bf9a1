"""The footer of every screen: the help key first, so a narrow terminal never loses it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

FIRST = ("help", "app.help")  # the actions shown before the screen's own keys


class KeyFooter(Footer):
    """Textual's footer, with `?` (help) moved to the front: the keys that do not fit at the
    right edge are cut, and help is the one key that must never be."""

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        shown = {}
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in shown:
                shown[binding.action] = (binding, enabled, tooltip)
        ordered = sorted(shown.values(), key=lambda item: item[0].action not in FIRST)
        self.styles.grid_size_columns = len(ordered)
        for binding, enabled, tooltip in ordered:
            key = FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            )
            # Never compact: set before mounting, so no class is added and then taken away
            # (restyling every key each time the bindings change).
            key.set_reactive(FooterKey.compact, False)
            yield key
