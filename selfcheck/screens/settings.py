"""Settings: language, theme, auto-lock, backups kept, Word font preset; passphrase, recovery key,
backups and restoring one. Every change applies and is saved at once."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static

from ..store.models import PROFILE_FIELDS
from ..themes import THEME_NAMES
from ..widgets.footer import FittingFooter
from .base import AppScreen
from .modals.form import FormScroll

#: Limits of the numeric settings.
AUTOLOCK_MAX = 240
BACKUPS_MIN, BACKUPS_MAX = 1, 100


def font_presets(lang: str) -> list[tuple[str, str]]:
    """``(name, label)`` of the Word font presets shipped with the exporter (data in
    ``selfcheck/export/presets.toml``); ``gb2312`` alone when the file cannot be read."""
    try:
        import tomllib
        from importlib import resources

        text = resources.files("selfcheck.export").joinpath("presets.toml").read_text(encoding="utf-8")
        fonts = tomllib.loads(text).get("fonts", {})
    except (ModuleNotFoundError, FileNotFoundError, OSError, ValueError):
        fonts = {}
    presets = [
        (name, _short((f.get("label") or {}).get(lang) or name)) for name, f in fonts.items() if isinstance(f, dict)
    ]
    return presets or [("gb2312", "gb2312")]


def _short(label: str) -> str:
    """The label without its parenthesised list of fonts (it would wrap in the select)."""
    return label.split("（")[0].split(" (")[0].strip()


class SettingsScreen(AppScreen):
    """The user's settings, stored inside the vault."""

    BINDINGS = [
        Binding("p", "passphrase", "key.passphrase", id="passphrase"),
        Binding("k", "recovery", "key.recovery", id="recovery"),
        Binding("b", "backups", "key.backups", id="backups"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def compose(self) -> ComposeResult:
        tr = self.tr
        settings = self.journal.settings()
        # The app's three themes by translated name (and a theme chosen in an earlier version, as is).
        themes = [(tr(key), name) for name, key in THEME_NAMES.items()]
        if self.app.theme not in THEME_NAMES:
            themes.append((self.app.theme, self.app.theme))
        presets = font_presets(self.tr.lang)
        names = [name for name, _ in presets]
        with FormScroll(id="settings"):
            yield Static(tr("settings.title"), classes="section-title", markup=False)
            with Horizontal(classes="field-row"):
                yield Label(tr("settings.language"), classes="field-label")
                yield Select([("中文", "zh"), ("English", "en")], value=self.tr.lang, allow_blank=False,
                             id="language", compact=True)
            with Horizontal(classes="field-row"):
                yield Label(tr("settings.theme"), classes="field-label")
                yield Select(themes, value=self.app.theme, allow_blank=False, id="theme", compact=True)
            with Horizontal(classes="field-row"):
                yield Label(tr("settings.autolock"), classes="field-label")
                yield Input(str(settings.autolock_minutes), id="autolock", type="integer", compact=True, max_length=3)
                yield Label(tr("settings.autolock_unit"), classes="muted unit")
            with Horizontal(classes="field-row"):
                yield Label(tr("settings.backups_kept"), classes="field-label")
                yield Input(str(settings.backups_kept), id="backups_kept", type="integer", compact=True, max_length=3)
                yield Label(tr("settings.backups_unit"), classes="muted unit")
            with Horizontal(classes="field-row"):
                yield Label(tr("settings.font"), classes="field-label")
                preset = settings.export_font_preset if settings.export_font_preset in names else names[0]
                yield Select([(label, name) for name, label in presets], value=preset, allow_blank=False,
                             id="font", compact=True)
            yield Static(tr("settings.profile_title"), classes="section-title", markup=False)
            yield Static(tr("settings.profile_hint"), classes="muted", markup=False)
            for name in PROFILE_FIELDS:
                with Horizontal(classes="field-row"):
                    yield Label(tr(f"settings.profile_{name}"), classes="field-label")
                    yield Input(settings.profile.get(name, ""), id=f"profile-{name}", compact=True, max_length=60,
                                placeholder=tr(f"settings.profile_{name}_hint"))
            yield Static("", id="message", classes="error-line", markup=False)
            yield Static(tr("settings.keys_hint"), classes="muted", markup=False)
            recovery = tr("settings.recovery_yes") if self.journal.has_recovery_key else tr("settings.recovery_no")
            yield Static(recovery, id="recovery-state", classes="muted", markup=False)
            yield Static(tr("settings.vault_path", path=self.app.data_dir), classes="muted", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        """Start at the first setting; changes count only after the first paint (a Select
        announces its initial value)."""
        self.query_one("#language", Select).focus()
        self.ready = False
        self.call_after_refresh(setattr, self, "ready", True)

    # ------------------------------------------------------------------ simple settings

    def _save(self, **changes: object) -> None:
        settings = self.journal.settings()
        for name, value in changes.items():
            setattr(settings, name, value)
        self.app.save(lambda j: j.save_settings(settings), on_done=lambda _: self.notify(self.tr("settings.saved")))

    @on(Select.Changed, "#language")
    def language_changed(self, event: Select.Changed) -> None:
        """Switch the interface language (saved in the vault)."""
        if self.ready and event.value != self.tr.lang:
            self.app.set_language(str(event.value))

    @on(Select.Changed, "#theme")
    def theme_changed(self, event: Select.Changed) -> None:
        """Apply the theme (the app saves it)."""
        if self.ready and event.value != self.app.theme:
            self.app.theme = str(event.value)

    @on(Select.Changed, "#font")
    def font_changed(self, event: Select.Changed) -> None:
        """The Word font preset used by exports."""
        if self.ready and event.value != self.journal.settings().export_font_preset:
            self._save(export_font_preset=str(event.value))

    @on(Input.Submitted, "#autolock")
    @on(Input.Blurred, "#autolock")
    def autolock_changed(self) -> None:
        """Minutes of idle time before locking (0 = never)."""
        self._number("autolock", "autolock_minutes", 0, AUTOLOCK_MAX)

    @on(Input.Submitted, "#backups_kept")
    @on(Input.Blurred, "#backups_kept")
    def backups_changed(self) -> None:
        """How many encrypted backups to keep."""
        self._number("backups_kept", "backups_kept", BACKUPS_MIN, BACKUPS_MAX)

    def _number(self, widget: str, name: str, low: int, high: int) -> None:
        field = self.query_one(f"#{widget}", Input)
        message = self.query_one("#message", Static)
        text = field.value.strip()
        if not text.isdigit() or not low <= int(text) <= high:
            message.update(self.tr("settings.range", low=low, high=high))
            return
        message.update("")
        if int(text) != getattr(self.journal.settings(), name):
            self._save(**{name: int(text)})

    @on(Input.Submitted)
    @on(Input.Blurred)
    def profile_changed(self, event: Input.Blurred | Input.Submitted) -> None:
        """姓名、所在党支部、入党时间、现任职务: saved as typed, for the exports."""
        if not (event.input.id or "").startswith("profile-"):
            return
        self._save_profile()

    def _save_profile(self) -> None:
        typed = {name: self.query_one(f"#profile-{name}", Input).value for name in PROFILE_FIELDS}
        typed = {k: v for k, v in typed.items() if v.strip()}
        if typed != self.journal.settings().profile:
            self._save(profile=typed)

    # ------------------------------------------------------------------ keys and backups

    def action_passphrase(self) -> None:
        """Change the passphrase."""
        from .modals.passphrase import ChangePassphraseModal

        self.app.push_screen(ChangePassphraseModal())

    def action_recovery(self) -> None:
        """Create or replace the recovery key (shown once, must be confirmed)."""
        from .modals.confirm import ConfirmModal

        question = "settings.recovery_replace" if self.journal.has_recovery_key else "settings.recovery_create"

        def decided(yes: bool | None) -> None:
            if yes:
                self.app.save(lambda j: j.set_recovery_key(), on_done=self._show_key)

        self.app.push_screen(ConfirmModal(self.tr(question), self.tr("recovery.offer_body")), decided)

    def _show_key(self, key: str) -> None:
        from .modals.recovery import RecoveryKeyModal

        def confirmed(ok: bool | None) -> None:
            if not ok:
                self.app.save(lambda j: j.remove_recovery_key())
                self.notify(self.tr("recovery.removed"))
            self.app.switch_screen(SettingsScreen())

        self.app.push_screen(RecoveryKeyModal(key), confirmed)

    def action_backups(self) -> None:
        """List the backups; restore one."""
        from .modals.backups import BackupsModal

        self.app.push_screen(BackupsModal())

    def action_back(self) -> None:
        """Back to Home (a number being typed is applied first)."""
        self.autolock_changed()
        self.backups_changed()
        self._save_profile()
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Letter keys belong to an input that has focus."""
        if action in ("passphrase", "recovery", "backups") and isinstance(self.focused, Input):
            return False
        return True

    def keep_draft(self) -> None:
        """Lock or quit while typing in the profile: keep it."""
        if self.is_mounted:
            self._save_profile()

    def rebuild(self) -> SettingsScreen:
        """Fresh settings after a language switch."""
        return SettingsScreen()
