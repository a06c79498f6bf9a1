"""The coding screen's help: every key it answers to."""

HELP = """\
[b]Coding[/b]: select text with the keyboard (or the mouse), then apply a code.

[b]↑ ↓[/b]            previous / next sentence
[b]shift+↑ ↓[/b]      shrink / extend the selection by a sentence
[b]← →[/b]            shrink / extend the selection by a word
[b]space[/b]          select the whole speaker turn
[b]ctrl+s[/b]         selection mode: start at the cursor, then
                 [b]← →[/b] a character, [b]ctrl+← →[/b] a word, [b]↑ ↓[/b] a sentence,
                 [b]shift+↑ ↓[/b] a turn; [b]tab[/b] moves the other end; ctrl+s or
                 escape ends it
[b]/[/b]              search; then [b]n N[/b] next / previous match, escape ends the search
[b]a letter/digit[/b] apply the code with that shortcut key (shown as \\[x] in the tree)
[b]enter[/b]          choose a code by name
[b]\\[ ][/b]            choose the previous / next stripe on the line: its coding is
                 selected; then a code key or enter recodes it, [b]ctrl+r[/b] resizes
                 it to the selection (ctrl+s, move the ends, ctrl+r), [b]delete[/b]
                 removes it, [b]ctrl+e[/b] writes a memo on it
[b]delete[/b]         remove your coding under the selection
[b]+ -[/b]            accept / reject the suggestion under the selection (underlined)
[b]ctrl+l[/b]         list this document's codings and jump to one
[b]ctrl+e[/b]         write a memo on that coding (✎ in the margin)
[b]ctrl+n[/b]         jump to the next participant turn you have not coded
[b]ctrl+o[/b]         show: your codings, each other coder's, everyone's, the consensus
                 (not while the project is blind); each coder's stripes have their
                 own pattern (┃ ╏ ┇) and initial
[b]ctrl+b[/b]         show or hide the code tree    [b]ctrl+t[/b] stripes on or off
[b]ctrl+z ctrl+y[/b]  undo / redo your last change
[b]tab[/b]            move between the transcript and the code tree
[b]escape[/b]         back
"""
