import io

import pytest
from django.core.management import CommandError, call_command

from vocations.careers.models import Appellation, Trade
from vocations.careers.services import import_rome_referential
from vocations.core.exceptions import ImportFileError

from .conftest import APPELLATIONS_SAMPLE, CODES_SAMPLE


def _import(path, *, data: bytes | None = None):
    raw = path.read_bytes() if data is None else data
    return import_rome_referential(file=io.BytesIO(raw), filename=path.name)


def _state():
    return (
        sorted(Trade.objects.values_list("rome_code", "title", "slug")),
        sorted(Appellation.objects.values_list("code_ogr", "title", "trade__rome_code")),
    )


def test_codes_file_creates_trades_of_every_domain(db):
    report = _import(CODES_SAMPLE)
    assert report.ok and report.kind == "codes"
    assert (report.rows, report.created, report.updated, report.unchanged) == (12, 12, 0, 0)
    welder = Trade.objects.get(rome_code="H2913")
    assert (welder.title, welder.slug) == ("Soudeur / Soudeuse", "soudeur-soudeuse")
    manager = Trade.objects.get(rome_code="E1101")
    assert manager.title == "Community manager"
    assert not manager.sectors.exists()
    assert "12 lignes, 12 créées" in report.summary()


def test_appellations_are_linked_to_their_trade(db):
    _import(CODES_SAMPLE)
    report = _import(APPELLATIONS_SAMPLE)
    assert report.ok and report.kind == "appellations"
    assert report.created == 12
    titles = set(Trade.objects.get(rome_code="H2913").appellations.values_list("title", flat=True))
    assert {"Soudeur / Soudeuse TIG", "Soudeur / Soudeuse à l'arc"} <= titles
    assert Appellation.objects.get(code_ogr="30010").trade.rome_code == "F1301"


def test_reimport_is_idempotent(db):
    _import(CODES_SAMPLE)
    _import(APPELLATIONS_SAMPLE)
    before = _state()
    codes, appellations = _import(CODES_SAMPLE), _import(APPELLATIONS_SAMPLE)
    assert (codes.created, codes.updated, codes.unchanged) == (0, 0, 12)
    assert (appellations.created, appellations.updated, appellations.unchanged) == (0, 0, 12)
    assert _state() == before


def test_import_keeps_industrial_data_of_loaded_trades(careers):
    report = _import(CODES_SAMPLE)
    assert (report.created, report.unchanged) == (5, 7)
    welder = Trade.objects.get(rome_code="H2913")
    assert welder.is_featured and welder.description
    assert welder.sectors.filter(slug="metallurgie").exists()
    assert Trade.objects.count() == 404 + 5


def test_renamed_title_is_updated_and_slug_kept(db):
    _import(CODES_SAMPLE)
    text = CODES_SAMPLE.read_text(encoding="utf-8").replace(
        "Soudeur / Soudeuse\n", "Soudeur / Soudeuse (nouvel intitulé)\n"
    )
    report = _import(CODES_SAMPLE, data=text.encode("utf-8"))
    assert (report.updated, report.unchanged) == (1, 11)
    welder = Trade.objects.get(rome_code="H2913")
    assert (welder.title, welder.slug) == (
        "Soudeur / Soudeuse (nouvel intitulé)",
        "soudeur-soudeuse",
    )


def test_windows_1252_comma_separated_with_quotes(db):
    _import(CODES_SAMPLE)
    lines = APPELLATIONS_SAMPLE.read_text(encoding="utf-8").splitlines()
    quoted = "\r\n".join(",".join(f'"{value}"' for value in line.split(";")) for line in lines)
    report = _import(APPELLATIONS_SAMPLE, data=quoted.encode("cp1252"))
    assert report.ok, report.errors
    assert Appellation.objects.get(code_ogr="30003").title == "Soudeur / Soudeuse à l'arc"
    assert Appellation.objects.get(code_ogr="30006").title.endswith("en aéronautique")


def test_utf8_bom(db):
    report = _import(CODES_SAMPLE, data=b"\xef\xbb\xbf" + CODES_SAMPLE.read_bytes())
    assert report.ok and report.created == 12
    assert Trade.objects.get(rome_code="H2902").title == "Chaudronnier / Chaudronnière"


def test_bad_lines_are_reported_in_french_and_nothing_is_written(db):
    text = CODES_SAMPLE.read_text(encoding="utf-8")
    text += "Z1234;1;2;Métier imaginaire\nH29;1;2;Code trop court\nH2920;1;2;\n"
    report = _import(CODES_SAMPLE, data=text.encode("utf-8"))
    assert not report.ok
    assert report.errors == [
        "Ligne 14 : code ROME « Z1234 » invalide "
        "(une lettre de A à N suivie de 4 chiffres attendue).",
        "Ligne 15 : code ROME « H29 » invalide "
        "(une lettre de A à N suivie de 4 chiffres attendue).",
        "Ligne 16 : intitulé (libelle_rome) vide pour le code H2920.",
    ]
    assert "rien n'a été importé" in report.summary()
    assert not Trade.objects.exists()


def test_appellation_of_unknown_trade_is_reported(db):
    _import(CODES_SAMPLE)
    before = _state()
    text = APPELLATIONS_SAMPLE.read_text(encoding="utf-8")
    text += "30013;Opérateur / Opératrice;Opérateur;H3201\n30001;Doublon;Doublon;H2913\n"
    report = _import(APPELLATIONS_SAMPLE, data=text.encode("utf-8"))
    assert report.errors == [
        "Ligne 14 : code ROME H3201 inconnu ; importez d'abord le référentiel des codes ROME.",
        "Ligne 15 : le code OGR 30001 apparaît deux fois.",
    ]
    assert _state() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"code;titre\nH2913;Soudeur\n", "en-tête non reconnu"),
        (b"", "le fichier est vide"),
        (b"code_rome;libelle_rome\nH2913;Soudeur \x81\x8d\n", "encodage illisible"),
    ],
)
def test_unreadable_file_raises(db, data, message):
    with pytest.raises(ImportFileError, match=message) as error:
        import_rome_referential(file=data, filename="romes.csv")
    assert "Fichier romes.csv" in str(error.value)


def test_command_imports_in_dependency_order(db):
    out = io.StringIO()
    # Appellations first on the command line: the command still imports the codes first.
    call_command("import_rome", str(APPELLATIONS_SAMPLE), str(CODES_SAMPLE), stdout=out)
    assert Trade.objects.count() == 12
    assert Appellation.objects.count() == 12
    assert "12 créées" in out.getvalue()


def test_command_rolls_back_every_file_on_error(db, tmp_path):
    bad = tmp_path / "appellations.csv"
    bad.write_text(
        APPELLATIONS_SAMPLE.read_text(encoding="utf-8") + "x;Sans code;;H2913\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="Ligne 14 : code OGR « x » invalide"):
        call_command("import_rome", str(CODES_SAMPLE), str(bad), stdout=io.StringIO())
    assert not Trade.objects.exists()


def test_command_wrong_header(db, tmp_path):
    bad = tmp_path / "autre.csv"
    bad.write_text("nom;prenom\nDupont;Jean\n", encoding="utf-8")
    with pytest.raises(CommandError, match="en-tête non reconnu"):
        call_command("import_rome", str(bad))
