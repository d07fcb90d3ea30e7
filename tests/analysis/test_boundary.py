import subprocess
import sys


def test_importing_analysis_loads_neither_flask_nor_surveyapp():
    code = (
        "import sys, analysis, analysis.figures, analysis.monthly;"
        "print(sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('flask', 'surveyapp', 'flask_babel')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_importing_analysis_does_not_load_the_jieba_dictionary():
    code = "import analysis, analysis.themes as t; print(t._tokenizer.cache_info().currsize)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
