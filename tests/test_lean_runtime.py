"""The main job needs neither torch nor argostranslate's translator (stanza, spaCy, MiniSBD).

`make setup` installs argostranslate without those dependencies; this proves
the whole main job (extract, update, translate with a real Argos package,
english) runs where importing any of them fails, as it would in that venv.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.project import Project

BLOCKED = ("torch", "stanza", "spacy", "minisbd", "onnxruntime", "sacremoses", "argostranslate.translate")

MAIN_JOB = f"""
import importlib.abc, sys

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name in {BLOCKED!r} or name.split(".")[0] in {BLOCKED!r}:
            raise ImportError(f"{{name}} is not installed in the runtime environment")
        return None

sys.meta_path.insert(0, Refuse())
from pipeline.cli import main
root = sys.argv[1]
for command in (["extract"], ["update"], ["translate"], ["english"]):
    code = main([*command, "--root", root])
    if code:
        raise SystemExit(f"{{command[0]}} exited {{code}}")
print(sorted(name for name in sys.modules if name.split(".")[0] in {BLOCKED!r}))
"""


def test_the_main_job_runs_without_torch_or_argos_translator(tiny_project: Path):
    result = subprocess.run([sys.executable, "-c", MAIN_JOB, str(tiny_project)], capture_output=True, text=True,
                            timeout=600, cwd=tiny_project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "[]"  # none of them was even attempted successfully
    english = (Project(tiny_project).output_path(tiny_project / "source" / "bali-process.txt")).read_text()
    assert "Bali Process" in english and len(english) > 1000
