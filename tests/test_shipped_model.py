"""The shipped .argosmodel installs and translates through argostranslate, offline.

argostranslate reads its settings (packages dir, XDG dirs) at import time, so
each check runs in a fresh interpreter with every path pointed into tmp and
socket connections refused: a code path that tries to download fails the test.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
SHIPPED = sorted(MODELS_DIR.glob("translate-id_en-*.argosmodel"))

OFFLINE_TRANSLATE = r"""
import json, socket, sys

def refuse(*args, **kwargs):
    raise OSError("network access attempted in an offline test")

socket.socket.connect = refuse
socket.create_connection = refuse

from argostranslate import package, sbd, translate

package.install_from_path(sys.argv[1])
installed = [p for p in package.get_installed_packages() if (p.from_code, p.to_code) == ("id", "en")]
translation = translate.get_translation_from_codes("id", "en")
package_translation = getattr(translation, "underlying", translation)  # unwrap Argos's cache
# The package carries a blank spaCy pipeline; Argos's rule-based spaCy
# sentencizer on it splits sentences without downloading a model.
package_translation.sentencizer = sbd.SpacySentencizerSmall(package_translation.pkg)
print(json.dumps({
    "versions": [p.package_version for p in installed],
    "sentencizer_path": str(package_translation.pkg.packaged_sbd_path),
    "english": translation.translate(sys.argv[2]),
}))
"""


def run_offline(tmp_path: Path, model: Path, text: str) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ARGOS_")}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               ARGOS_PACKAGES_DIR=str(tmp_path / "packages"))
    completed = subprocess.run([sys.executable, "-c", OFFLINE_TRANSLATE, str(model), text],
                               env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_exactly_one_model_is_shipped():
    assert len(SHIPPED) == 1, f"expected one translate-id_en-*.argosmodel in {MODELS_DIR}, found {SHIPPED}"


@pytest.mark.skipif(not SHIPPED, reason="no shipped model (see test_exactly_one_model_is_shipped)")
def test_shipped_model_translates_offline_through_argostranslate(tmp_path):
    result = run_offline(tmp_path, SHIPPED[-1], "Saya tinggal di Jakarta. Rumah saya dekat pasar.")
    assert result["versions"] and all(result["versions"])
    assert result["sentencizer_path"].endswith("spacy")
    assert result["english"].strip()
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").iterdir())
