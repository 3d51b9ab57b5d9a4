"""Small pieces every screen shares: the translator, translated bindings, error messages.

Binding descriptions in ``BINDINGS`` are catalog keys (``"key.lock"``); :func:`translate_bindings`
replaces them with the text in the user's language when a screen is created, so the Footer, the
help screen and the palette all speak the same language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar, cast

from rich.text import Text
from textual import events, on
from textual._context import active_app
from textual.binding import BindingsMap
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from ..i18n import Translator, catalog, os_error_reason
from ..store.errors import Locked, SelfcheckError

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.widgets import DataTable

    from ..app import SelfCheckApp
    from ..session import Event
    from ..store.journal import Journal

_FALLBACK = Translator("zh")


def current_translator() -> Translator:
    """The running app's translator (Chinese when there is no app, e.g. in a bare test host)."""
    try:
        return getattr(active_app.get(), "tr", _FALLBACK)
    except LookupError:
        return _FALLBACK


def translate_bindings(node: DOMNode, tr: Translator) -> None:
    """Give ``node``'s bindings descriptions and tooltips in ``tr``'s language.

    Descriptions are catalog keys; ``_bindings`` is rebuilt from the class's merged bindings, so
    calling this again after a language switch translates from the keys, not from old text.
    """
    merged = type(node)._merged_bindings or BindingsMap()
    node._bindings = BindingsMap.from_keys(  # noqa: SLF001 - Textual has no public setter for this
        {
            key: [replace(b, description=_describe(b.description, tr), tooltip=_describe(b.tooltip, tr)) for b in bindings]
            for key, bindings in merged.key_to_bindings.items()
        }
    )


def bindings_in_effect(node: DOMNode) -> BindingsMap:
    """``node``'s translated bindings with the user's keymap applied, one binding per key (what
    the footer shows; the help screen and the dialogs' key lines say the same)."""
    bindings = node._bindings.copy()  # noqa: SLF001 - the translated bindings of that node
    keymap = node.app._keymap  # noqa: SLF001 - Textual keeps the user's keymap here
    if keymap:
        bindings.apply_keymap(keymap)
    return bindings


def cell(value: object) -> Text:
    """A DataTable cell showing ``value`` verbatim: DataTable reads plain ``str`` cells as markup,
    so a title like ``[bold]x[/]`` must be wrapped (DESIGN.md §2.5)."""
    return Text(str(value), no_wrap=True, overflow="ellipsis")


T = TypeVar("T")


def under_cursor(table: DataTable, rows: Sequence[T]) -> T | None:
    """The record a table's cursor is on, for tables filled row by row from ``rows``."""
    if not rows or table.cursor_row < 0 or table.cursor_row >= table.row_count:
        return None
    return rows[min(table.cursor_row, len(rows) - 1)]


def _describe(description: str, tr: Translator) -> str:
    """Our descriptions are catalog keys (``key.*``); Textual's own English ones are dropped so
    the help screen and Footer never mix languages."""
    return tr(description) if description.startswith(("key.", "homekey.")) else ""


def error_text(exc: BaseException, tr: Translator) -> str:
    """One line for the user about ``exc`` in their language (never the vault's contents)."""
    if isinstance(exc, SelfcheckError):
        detail = getattr(exc, "detail", None) or (str(exc.args[0]) if exc.args else "")
        cause = exc.__context__  # a store error raised while handling an OSError (``from None``)
        if isinstance(cause, OSError) and detail in (cause.strerror, str(cause)):
            detail = os_error_reason(cause, tr)  # 磁盘已满, not "No space left on device"
        return tr(exc.message_key, path=detail, detail=detail)
    return tr("error.internal", kind=type(exc).__name__)


# ---------------------------------------------------------------------------- typed state


def form_state(screen: Screen) -> dict[str, Any]:
    """What was typed or chosen in ``screen``'s fields, by widget id (passphrases never)."""
    from textual.widgets import Checkbox, Input, RadioSet, Select, TextArea  # only on a switch
    state: dict[str, Any] = {}
    for widget in screen.query("Input, TextArea, RadioSet, Select, Checkbox"):
        if widget.id is None:
            continue
        if isinstance(widget, Input):
            if not widget.password:
                state[widget.id] = widget.value
        elif isinstance(widget, TextArea):
            state[widget.id] = widget.text
        elif isinstance(widget, RadioSet):
            state[widget.id] = widget.pressed_index
        elif isinstance(widget, (Select, Checkbox)):
            state[widget.id] = widget.value
    return state


def restore_form_state(screen: Screen, state: dict[str, Any]) -> None:
    """Put ``state`` (from :func:`form_state`) back into ``screen``'s fields."""
    from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Select, TextArea
    for widget_id, value in state.items():
        try:
            widget = screen.query_one(f"#{widget_id}")
        except NoMatches:
            continue
        if isinstance(widget, Input):
            widget.value = value
        elif isinstance(widget, TextArea):
            widget.load_text(value)
        elif isinstance(widget, RadioSet):
            buttons = list(widget.query(RadioButton))
            if 0 <= value < len(buttons):
                buttons[value].value = True
        elif isinstance(widget, (Select, Checkbox)):
            try:
                widget.value = value
            except Exception:  # noqa: BLE001 - an option that no longer exists stays unchosen
                pass


R = TypeVar("R")


class _Shared(Screen[R]):
    """What screens and dialogs share: the translator, translated bindings, a typed ``app``, and
    the hooks the app calls on lock, quit, language switch and session events."""

    #: Field values carried over from the screen this one was rebuilt from (language switch).
    _carried: dict[str, Any] | None = None
    _carried_focus: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The translator of the language the screen was made in.
        self.tr = current_translator()
        translate_bindings(self, self.tr)

    @property
    def app(self) -> SelfCheckApp:  # type: ignore[override]  # narrower, as textual.getters.app does
        """The running selfcheck app (typed). ``textual.getters.app`` would need SelfCheckApp when
        this class is made, and app.py imports this module: an import circle."""
        return cast("SelfCheckApp", super().app)

    def keys_hint(self, message_key: str) -> str:
        """The message ``message_key`` with each ``{binding_id}`` (``-`` written ``_``) replaced by
        the key that runs it now, a user keymap included: "y 保存    n 放弃修改    esc 继续编辑"."""
        from string import Formatter

        message = catalog(self.tr.lang).get(message_key, "")
        fields = {name for _text, name, _spec, _conv in Formatter().parse(message) if name}
        return self.tr(message_key, **{name: self.key_of(name.replace("_", "-")) for name in fields})

    def key_of(self, binding_id: str) -> str:
        """The key (as the footer shows it) that runs this screen's binding ``binding_id`` now."""
        for _key, binding in bindings_in_effect(self):
            if binding.id == binding_id:
                return self.app.get_key_display(binding)
        return binding_id

    @property
    def journal(self) -> Journal:
        """The open journal. Screens that show data exist only while the vault is open; after a
        lock they are gone, so reaching this while locked is a bug and raises :class:`Locked`."""
        journal = self.app.journal
        if journal is None:
            raise Locked("the vault is locked")
        return journal

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification, verbatim by default (see :meth:`SelfCheckApp.notify`)."""
        self.app.notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def keep_draft(self) -> None:
        """Lock, quit or restore is coming: hand unsaved typing to the session (save it as a
        record). Screens and dialogs that hold typing override this; the default keeps nothing."""

    def rebuild(self) -> Screen[Any] | None:
        """A fresh copy of this screen for a language switch; None closes it (the default for
        dialogs that hold nothing typed, such as a yes/no question)."""
        return None

    def rebuilt(self) -> Screen[Any] | None:
        """:meth:`rebuild`, carrying over what was typed and where the cursor was."""
        fresh = self.rebuild()
        if isinstance(fresh, _Shared):
            fresh._carried = form_state(self)
            fresh._carried_focus = self.focused.id if self.focused is not None else None
        return fresh

    def session_event(self, event: Event) -> bool:
        """An event the session reported (after the app handled it). Return True when this
        screen consumed it, so screens below do not see it."""
        return False

    @on(events.Mount)
    def _carry_over(self) -> None:
        if self._carried is not None:
            self.call_after_refresh(self._restore_carried)

    def _restore_carried(self) -> None:
        if self._carried is not None:
            restore_form_state(self, self._carried)
            self._carried = None
        if self._carried_focus:
            try:
                self.query_one(f"#{self._carried_focus}").focus()
            except NoMatches:
                pass


ResultType = TypeVar("ResultType")


class AppScreen(_Shared[ResultType]):
    """A screen with translated bindings, the app's translator and the shell's hooks;
    ``AppScreen[T]`` dismisses with a ``T`` (most screens return nothing)."""



class AppModal(ModalScreen[ResultType], _Shared[ResultType]):
    """A modal dialog that dismisses with its result; translated bindings; ``escape`` closes it.

    ModalScreen comes first among the bases: Textual's type selectors follow the first base
    only, and the styles centre dialogs with ``ModalScreen { align: center middle }``.

    A dialog that holds typing sets ``KEEPS_TYPING``: a language switch then reopens it, made
    the way it was first made, with what was typed; other dialogs (questions) close.
    """

    KEEPS_TYPING = False
    _init_args: tuple[tuple[Any, ...], dict[str, Any]] = ((), {})

    def __new__(cls, *args: Any, **kwargs: Any) -> AppModal[Any]:
        obj = super().__new__(cls)
        obj._init_args = (args, kwargs)
        return obj

    def rebuild(self) -> Screen[Any] | None:
        """The same dialog, opened the same way, for a language switch (if it holds typing)."""
        if not self.KEEPS_TYPING:
            return None
        args, kwargs = self._init_args
        return type(self)(*args, **kwargs)

