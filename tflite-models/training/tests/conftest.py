"""Make ``import training`` work when pytest runs from tflite-models/ or training/."""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))
