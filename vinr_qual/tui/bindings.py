"""Key bindings whose descriptions follow the interface's language."""

from __future__ import annotations

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from vinr_qual.tui.i18n import Strings


def translate_bindings(node: DOMNode, strings: Strings) -> None:
    """Give `node` its class's bindings with descriptions looked up by their id.

    Bindings are declared with an `id` naming their string ("binding.code"); Textual keeps
    a copy of the class's bindings per widget, which this replaces.
    """
    merged = type(node)._merged_bindings
    translated = []
    for bindings in merged.key_to_bindings.values() if merged else []:
        for one in bindings:
            if one.id and one.id.startswith("binding."):
                one = Binding(
                    one.key,
                    one.action,
                    strings(one.id),
                    show=one.show,
                    key_display=one.key_display,
                    priority=one.priority,
                    tooltip=one.tooltip,
                    id=one.id,
                    system=one.system,
                )
            translated.append(one)
    node._bindings = BindingsMap(translated)
