"""OWL 2 DL profile check with the OWL API that ships inside owlready2's HermiT.jar.

No Python library checks OWL 2 profiles, but HermiT.jar bundles the OWL API, whose
``OWL2DLProfile`` does. A ten-line Java class is compiled on first use (needs
``javac``, i.e. a JDK) into a cache folder and run against the file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .reasoning import ReasonerFailed, ReasonerUnavailable

__all__ = ["check_dl_profile"]

_JAVA_SOURCE = """\
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;
import java.io.File;
public class PlankgDlProfile {
  public static void main(String[] args) throws Exception {
    OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
    OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
    for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(ontology).getViolations())
      System.out.println(v.toString().replace('\\n', ' '));
  }
}
"""


def _hermit_jar() -> Path:
    import owlready2

    return Path(owlready2.__file__).parent / "hermit" / "HermiT.jar"


def _compiled_class_dir(javac: str) -> Path:
    cache = Path(tempfile.gettempdir()) / f"plankg-dl-profile-{os.getuid() if hasattr(os, 'getuid') else 0}"
    if not (cache / "PlankgDlProfile.class").is_file():
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "PlankgDlProfile.java").write_text(_JAVA_SOURCE, encoding="utf-8")
        subprocess.run([javac, "-cp", str(_hermit_jar()), "-d", str(cache), str(cache / "PlankgDlProfile.java")],
                       check=True, capture_output=True)
    return cache


def check_dl_profile(ontology_path: str | Path) -> list[str]:
    """Return the OWL 2 DL profile violations of the ontology file (empty: it is OWL 2 DL).

    :raises ReasonerUnavailable: ``java`` or ``javac`` cannot be found.
    :raises ReasonerFailed: the OWL API could not load the file.
    """
    java, javac = shutil.which("java"), shutil.which("javac")
    if java is None or javac is None:
        raise ReasonerUnavailable(
            "the OWL 2 DL profile check needs a JDK (java and javac): "
            "install one, e.g. `apt-get install default-jdk-headless`.")
    classes = _compiled_class_dir(javac)
    classpath = os.pathsep.join([str(_hermit_jar()), str(classes)])
    run = subprocess.run([java, "-cp", classpath, "PlankgDlProfile", str(Path(ontology_path).resolve())],
                         capture_output=True, text=True, check=False)
    if run.returncode != 0:
        first = (run.stderr.strip().splitlines() or ["no message"])[0]
        raise ReasonerFailed(f"OWL API profile check failed: {first}")
    return [line for line in run.stdout.splitlines() if line.strip()]
