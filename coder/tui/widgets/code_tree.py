"""The code tree beside a transcript: each code's swatch (the colour of its stripes and
highlights), its shortcut key, its name and how often it is coded in this document."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from coder import model
from coder.codebook.tree import CodeTree

# Colour-blind-safe colours (Okabe–Ito and Paul Tol) for codes that have none.
PALETTE = [
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#f0e442",
    "#0072b2",
    "#d55e00",
    "#cc79a7",
    "#44aa99",
    "#882255",
    "#999933",
    "#aa4499",
    "#332288",
    "#117733",
    "#88ccee",
]


def code_colors(tree: CodeTree) -> dict[int, str]:
    """Every code's colour: its own, or one of the palette's in tree order."""
    return {
        code.id: code.color or PALETTE[index % len(PALETTE)]
        for index, (code, _) in enumerate(tree.walk())
    }


class CodeTreePanel(Tree[model.Code]):
    """A read-only code tree whose labels carry swatches and per-document counts."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Codes", id=id)
        self.show_root = False
        self.codes_tree = CodeTree([])
        self.swatches: dict[int, str] = {}
        self.counts: dict[int, int] = {}
        self._code_nodes: dict[int, TreeNode[model.Code]] = {}

    def label_of(self, code: model.Code) -> Text:
        count = self.counts.get(code.id, 0)
        return Text.assemble(
            ("■", self.swatches.get(code.id, "#888888")),
            (f"{count:>3} " if count else "    ", "bold"),
            (f"[{code.key}] ", "bold") if code.key else "",
            code.name,
        )

    def fill(
        self, tree: CodeTree, colors: dict[int, str], counts: dict[int, int] | None = None
    ) -> None:
        """The tree of codes, each labelled with its count (given here, each label is made
        once, not made again by set_counts with a repaint of its line)."""
        self.codes_tree, self.swatches = tree, colors
        if counts is not None:
            self.counts = counts
        self.clear()
        self._code_nodes = {}

        def add(node: TreeNode[model.Code], code: model.Code) -> None:
            children = tree.children(code)
            if children:
                branch = node.add(self.label_of(code), data=code, expand=True)
                for child in children:
                    add(branch, child)
                self._code_nodes[code.id] = branch
            else:
                self._code_nodes[code.id] = node.add_leaf(self.label_of(code), data=code)

        for root in tree.roots():
            add(self.root, root)
        # The tree's lines laid out now (Textual does it when the tree is next idle or
        # drawn): its new height is then known to the screen's next layout, not found by
        # the first paint and laid out and painted again.
        self.get_node_at_line(0)

    def set_counts(self, counts: dict[int, int]) -> None:
        """This document's codings per code, as shown: only the labels that change."""
        if counts == self.counts:
            return
        changed = set(counts) ^ set(self.counts) | {
            c for c in counts if counts[c] != self.counts.get(c)
        }
        self.counts = counts
        for code_id in changed:
            node = self._code_nodes.get(code_id)
            if node is not None and node.data is not None:
                node.set_label(self.label_of(node.data))
