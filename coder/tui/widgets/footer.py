"""The footer of every screen: the help key first, so a narrow terminal never loses it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

FIRST = ("help", "app.help")  # the actions shown before the screen's own keys

Shown = tuple[Binding, bool, str]  # a binding, whether it is enabled, its tooltip


class KeyFooter(Footer):
    """Textual's footer, with `?` (help) moved to the front: the keys that do not fit at the
    right edge are cut, and help is the one key that must never be."""

    _composed: tuple[tuple[object, ...], ...] | None = None  # what the keys on show say
    _pending = False  # a recompose is asked for and has not run yet

    def _shown(self) -> list[Shown]:
        shown: dict[str, Shown] = {}
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in shown:
                shown[binding.action] = (binding, enabled, tooltip)
        return sorted(shown.values(), key=lambda item: item[0].action not in FIRST)

    def _looks(self, shown: list[Shown]) -> tuple[tuple[object, ...], ...]:
        return tuple(
            (b.key, self.app.get_key_display(b), b.description, b.action, enabled, tooltip)
            for b, enabled, tooltip in shown
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        # The bindings change on every move of the focus, mostly to the same keys: rebuilding
        # and restyling every key then was a good part of opening a screen.
        if (
            self._bindings_ready
            and screen is self.screen
            and (self._pending or self._composed == self._looks(self._shown()))
        ):
            return  # a recompose still to come reads the bindings as they are then
        self._pending = self.is_attached and screen is self.screen and self.app.app_focus
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._pending = False
        ordered = self._shown()
        self._composed = self._looks(ordered)
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
