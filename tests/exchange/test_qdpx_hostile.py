"""Packages that are too big once unpacked, or whose numbers do not fit a float: refused fast
in bounded memory, or read exactly."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from bounded import run_bounded
from click.testing import CliRunner
from qdpx_packages import NS, SOURCE, USER, package

from coder import Project
from coder.cli import cli

TEXT = "Interviewer: Why?\n\nAnn: Because the meetings were at noon.\n"


def test_a_small_package_that_unpacks_to_700_mb_is_refused_in_bounded_memory(
    tmp_path: Path,
) -> None:
    """700 MB of zeros compress to under a megabyte. The part is refused by the limit for one
    part (that for any file) before it is inflated; the process may not grow by 300 MB."""
    path = tmp_path / "big.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", _qde_for_one_source())
        with archive.open(f"sources/{SOURCE}.txt", "w", force_zip64=True) as entry:
            block = b"a" * (1 << 20)
            for _ in range(700):
                entry.write(block)
    assert path.stat().st_size < 2_000_000
    done = run_bounded(
        "from pathlib import Path\n"
        "from coder.exchange.api import import_project\n"
        f"import_project(Path({str(path)!r}), {str(tmp_path / 'x.coder')!r})",
        memory=300 * 2**20,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "the limit for one part of a package" in done.stdout
    assert not (tmp_path / "x.coder").exists()


def _qde_for_one_source() -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS}" name="Big">'
        f'<Users><User guid="{USER}" name="Sam"/></Users>'
        f'<Sources><TextSource guid="{SOURCE}" name="Interview" '
        f'plainTextPath="internal://{SOURCE}.txt"/></Sources></Project>'
    ).encode()


def test_variable_values_keep_every_digit_and_json_stays_json(
    project: Project, tmp_path: Path
) -> None:
    variables = {
        "record": ("Integer", "12345678901234567"),
        "huge": ("Integer", "9" * 400),
        "far": ("Float", "1e400"),
        "score": ("Float", "2.5"),
    }
    declared = "".join(
        f'<Variable guid="BBBBBBBB-0000-4000-8000-00000000000{n}" name="{name}" '
        f'typeOfVariable="{kind}"/>'
        for n, (name, (kind, _)) in enumerate(variables.items())
    )
    values = "".join(
        f'<VariableValue><VariableRef targetGUID="BBBBBBBB-0000-4000-8000-00000000000{n}"/>'
        f"<{kind}Value>{value}</{kind}Value></VariableValue>"
        for n, (kind, value) in enumerate(variables.values())
    )
    qde = (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS}" name="Numbers">'
        f'<Users><User guid="{USER}" name="Sam"/></Users><Variables>{declared}</Variables>'
        f'<Cases><Case guid="CCCCCCCC-0000-4000-8000-000000000001" name="Ann">{values}'
        f'<SourceRef targetGUID="{SOURCE}"/></Case></Cases>'
        f'<Sources><TextSource guid="{SOURCE}" name="Interview" '
        f'plainTextPath="internal://{SOURCE}.txt"/></Sources></Project>'
    )
    path = package(tmp_path / "numbers.qdpx", qde, {f"sources/{SOURCE}.txt": TEXT})
    project.exchange.import_qdpx(path)
    out = tmp_path / "again.qdpx"
    project.exchange.export_qdpx(out)
    with zipfile.ZipFile(out) as archive:
        written = archive.read("project.qde").decode()
    assert "<IntegerValue>12345678901234567</IntegerValue>" in written
    assert f"<IntegerValue>{'9' * 400}</IntegerValue>" in written
    assert "12345678901234568" not in written and "inf" not in written.lower()
    result = CliRunner().invoke(cli, ["documents", "-p", project.location, "--json"])
    assert result.exit_code == 0, result.stderr
    assert "Infinity" not in result.stdout and "NaN" not in result.stdout
    json.loads(result.stdout)
