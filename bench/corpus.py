"""A synthetic long transcript for the benchmarks, made from the demo corpus's own turns.

The demo interviews are 3,000 words; the speed goals speak of 15,000. This stitches the
respondents' turns of the demo corpus into one long interview (deterministically), so
the benchmark reads real Swedish speech of the size the goals name.
"""

from __future__ import annotations

import random
from pathlib import Path

from vinr_qual.project import Project


def long_transcript(project: Project, words: int = 15_000, seed: int = 7) -> str:
    turns = [
        text[content:end]
        for text, content, end in project.db.execute(
            'SELECT d.text, s.content_start, s."end" FROM segments s'
            " JOIN documents d ON d.id = s.document_id JOIN speakers sp ON sp.id = s.speaker_id"
            " WHERE s.kind = 'turn' AND sp.is_interviewer = 0 ORDER BY d.id, s.start"
        )
    ]
    chooser = random.Random(seed)
    parts: list[str] = ["Kommunstudien VINR–BF, syntetisk lång intervju för mätningar", ""]
    count = 0
    number = 0
    while count < words:
        number += 1
        minutes, seconds = divmod(number * 37, 60)
        parts.append(f"[{minutes // 60:02}:{minutes % 60:02}:{seconds:02}] I: Kan du berätta mer?")
        parts.append("")
        answer = chooser.choice(turns)
        parts.append(f"[{minutes // 60:02}:{minutes % 60:02}:{seconds + 1:02}] IP: {answer}")
        parts.append("")
        count += len(answer.split()) + 4
    return "\n".join(parts)


def write_long_transcript(project: Project, folder: Path, words: int = 15_000) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"Lång-intervju-{words}.txt"
    path.write_text(long_transcript(project, words), encoding="utf-8")
    return path
