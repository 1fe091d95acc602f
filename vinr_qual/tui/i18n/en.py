"""English interface strings."""

STRINGS: dict[str, str] = {
    "app.title": "vinr-qual",
    "app.subtitle": "{project} · coder: {coder}",
    # documents screen
    "documents.title": "Documents",
    "documents.filter": "Filter: words, case:Kvarnby, kind:interview, län:Skåne län …",
    "documents.column.name": "Document",
    "documents.column.case": "Case",
    "documents.column.kind": "Kind",
    "documents.column.words": "Words",
    "documents.column.codings": "Codings",
    "documents.column.progress": "Coded",
    "documents.empty": "No documents match. Import files from the command palette (ctrl+p).",
    "documents.count": "{shown} of {total} documents",
    "kind.interview": "interview",
    "kind.steering": "steering",
    "kind.other": "other",
    # document screen
    "document.here": "Codes here",
    "document.here.none": "No coding at the cursor.",
    "document.memo": "Memo",
    "document.memo.none": "No memo.",
    "document.in_view": "In view",
    "document.in_view.none": "Nothing coded in view.",
    "document.lines": "lines {first}–{last}",
    "document.codebook": "Codebook",
    "document.codebook.document": "In this document",
    "document.others.shown": "Showing all coders",
    "document.others.hidden": "Showing only your codings",
    "document.no_selection": "Select a passage first (shift+arrows, or S / T / P).",
    "document.coded": "Coded “{code}”: {passage}",
    "document.removed": "Removed “{code}”",
    "document.recoded": "Now coded “{code}”",
    "document.adjusted": "Coding moved to the selection",
    "document.memo_saved": "Memo saved",
    "document.nothing_here": "No coding at the cursor",
    "document.nothing_to_undo": "Nothing to undo",
    "document.nothing_to_redo": "Nothing to redo",
    "document.undone": "Undone",
    "document.redone": "Redone",
    "document.no_segment": "No {kind} at the cursor",
    "segment.sentence": "sentence",
    "segment.turn": "speaker turn",
    "segment.paragraph": "paragraph",
    # bindings
    "binding.open": "Open",
    "binding.filter": "Filter",
    "binding.back": "Back",
    "binding.code": "Code",
    "binding.sentence": "Sentence",
    "binding.turn": "Turn",
    "binding.paragraph": "Paragraph",
    "binding.remove": "Remove",
    "binding.recode": "Change code",
    "binding.adjust": "Move to selection",
    "binding.memo": "Memo",
    "binding.undo": "Undo",
    "binding.redo": "Redo",
    "binding.others": "Other coders",
    "binding.codebook": "Codebook",
    "binding.help": "Help",
    "binding.quit": "Quit",
    "binding.cancel": "Cancel",
    # code picker
    "picker.title": "Code the passage",
    "picker.recode_title": "Change the code",
    "picker.placeholder": "Type a few letters of a code, its English name or shortcut",
    "picker.none": "No code matches",
    # prompts
    "coder.title": "Who is coding?",
    "coder.help": "Your name is stamped on every coding you make in this project.",
    "memo.title": "Memo on “{code}”",
    "memo.help": "ctrl+s saves, escape cancels. An empty memo is removed.",
    "import.title": "Import files",
    "import.help": "A file or a folder (.txt, .md, .docx). Enter starts, escape cancels.",
    "import.progress": "Importing {done} of {total}: {name}",
    "import.done": "{imported} imported, {unchanged} unchanged, {failed} failed",
    "import.cancelled": "Import cancelled after {done} files; each imported file is whole",
    "import.missing": "No such file or folder: {path}",
    "prompt.ok": "OK",
    "prompt.cancel": "Cancel",
    # commands
    "command.documents": "Documents",
    "command.documents.help": "Go to the list of documents",
    "command.import": "Import files…",
    "command.import.help": "Import .txt, .md or .docx files into the project",
    "command.language": "Switch language: svenska",
    "command.language.help": "Show the interface in Swedish",
    "command.coder": "Change coder…",
    "command.coder.help": "Set the name stamped on your codings",
    "command.help": "Help",
    "command.help.help": "Keys and how coding works",
    # help
    "help.title": "Help",
    "help.body": (
        "[b]Documents[/b]\n"
        "  enter  open the document    /  filter (case:, kind:, any attribute:, words)\n\n"
        "[b]Reading and selecting[/b]\n"
        "  arrows, page up/down move      shift+arrows select      mouse drag selects\n"
        "  S  whole sentence   T  whole speaker turn   P  whole paragraph\n\n"
        "[b]Coding[/b]\n"
        "  enter  code the selection with the code picker (type a few letters, enter)\n"
        "  a code's shortcut key (from the codebook) codes the selection at once\n"
        "  with nothing selected, the sentence at the cursor is coded\n"
        "  delete  remove the coding at the cursor    C  change its code\n"
        "  A  move its boundaries to the selection    M  write its memo\n"
        "  ctrl+z  undo    ctrl+y  redo    O  show or hide other coders\n"
        "  B  codebook panel    escape  back    ctrl+p  every command\n\n"
        "Codings are saved at once; there is no save step."
    ),
}
