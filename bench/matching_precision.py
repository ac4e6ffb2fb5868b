"""Precision of the matching engine's top 10 on real data: real BOAMP and TED notices, supplier profiles built from
real DECP holders, results labelled by hand in bench/matching_labels.json.

    .venv/bin/python bench/matching_precision.py [--data-dir ../shared/data] [--cases N]
        [--labels bench/matching_labels.json] [--show] [--work-dir DIR] [--variant engine|cpv-labels|…]

1. In a child process with Django set up, into a throwaway SQLite database (a temporary ``TREMPLIN_VAR_DIR``):
   ``migrate``, ``load_referentials --from <data-dir>/reference``, the real notices (``NOTICE_FOLDERS`` of
   ``<data-dir>/boamp`` and ``<data-dir>/ted``, with the importer of ``tremplin import_boamp`` / ``import_ted``;
   the eForms SDK's invented examples are left out) and the real DECP samples
   (``<data-dir>/decp/real/format_2019/*``, the importer of ``tremplin import_decp``).
2. The samples' deadlines are all in the past and the engine only indexes open notices (``Notice.objects.open()``
   at the real current time), so every call for competition is given a deadline ``OPEN_DAYS`` days from now in
   the throwaway database: all of them count as open. Deadlines play no part in the score, so the ranking is the
   one the engine would give on the day the notices were open together.
3. One holder per activity of ``ACTIVITIES`` (the holder with the most contracts in that CPV division among those
   whose main division it is; ties by SIRET): deterministic. Its profile is built like the demo's
   (``tremplin.suppliers.demo``): its 3 most frequent CPV codes as activities, its perimeter from where its
   contracts were executed (department, region or national).
4. ``search_opportunities(query_for_profile(profile), limit=10)`` for each case; the top 10 is judged against the
   labels: precision@10 = relevant ÷ min(10, results); a result with no label is "unlabelled" and counts as not
   relevant. Prints each case, the mean (and the mean over the cases with at least one relevant notice known),
   then one JSON line. ``--variant`` emulates proposed engine fixes (see ``VARIANTS``) on the same cases.

``--work-dir DIR`` keeps the database in DIR and reuses it on the next run (for labelling); without it the
database is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT.parent / "shared" / "data"
DEFAULT_LABELS = ROOT / "bench" / "matching_labels.json"
TOP = 10
# The real notices only: the eForms SDK's example notices (ted/*.tar.gz) are invented ("Procurement Title ---").
NOTICE_FOLDERS = {
    "boamp": ("boamp/xml_boamp_v230_2017", "boamp/api_json_2020"),
    "ted": ("ted/eforms_real_notices", "ted/ted_xml_r209_real_notices"),
}
OPEN_DAYS = 30
# "engine": ``query_for_profile`` as it is. The others emulate fixes proposed in the report, without touching the
# engine: "cpv-labels" searches with the activities' CPV labels as words (``profile_words``); "france-only" drops
# notices executed abroad (``is_foreign``) from a longer list before keeping the top 10.
VARIANTS = ("engine", "cpv-labels", "france-only", "cpv-labels+france-only")

# CPV division → activity, in the order cases are taken (``--cases N`` keeps the first N).
ACTIVITIES = (
    ("45", "travaux de construction"),
    ("72", "services informatiques"),
    ("90", "propreté, déchets"),
    ("55", "restauration"),
    ("33", "fournitures médicales"),
    ("71", "ingénierie, architecture"),
    ("60", "transport"),
    ("79", "services aux entreprises"),
    ("50", "réparation et maintenance"),
    ("77", "espaces verts"),
    ("09", "carburants, énergie"),
    ("34", "véhicules"),
    ("80", "formation"),
    ("92", "culture, spectacles"),
    ("15", "denrées alimentaires"),
)


# ---------- pure parts: labels and precision ----------


class LabelsError(ValueError):
    """The labels file cannot be read; the message is French."""


@dataclass(frozen=True)
class Labels:
    relevant: frozenset[str] = frozenset()
    not_relevant: frozenset[str] = frozenset()
    note: str = ""


@dataclass
class CaseScore:
    returned: int
    relevant: list[str] = field(default_factory=list)
    not_relevant: list[str] = field(default_factory=list)
    unlabelled: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        """Relevant results in the top ``TOP`` ÷ min(``TOP``, results); None when nothing was returned."""
        denominator = min(TOP, self.returned)
        return len(self.relevant) / denominator if denominator else None


def parse_labels(data: dict) -> dict[str, Labels]:
    """Holder SIRET → its labels, from ``{"cases": [{"holder_siret", "relevant", "not_relevant", "note"}]}``."""
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise LabelsError("le fichier d'étiquettes doit contenir une liste « cases ».")
    labels: dict[str, Labels] = {}
    for position, case in enumerate(data["cases"], 1):
        siret = str(case.get("holder_siret", "")).strip() if isinstance(case, dict) else ""
        if not siret:
            raise LabelsError(f"cas n° {position} : « holder_siret » manquant.")
        relevant, not_relevant = frozenset(case.get("relevant") or ()), frozenset(case.get("not_relevant") or ())
        both = sorted(relevant & not_relevant)
        if both:
            raise LabelsError(f"cas {siret} : à la fois pertinent et non pertinent : {', '.join(both)}.")
        if siret in labels:
            raise LabelsError(f"cas {siret} étiqueté deux fois.")
        labels[siret] = Labels(relevant, not_relevant, str(case.get("note", "")))
    return labels


def load_labels(path: Path) -> dict[str, Labels]:
    """The labels of ``path``; none when the file does not exist yet."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise LabelsError(f"{path} n'est pas du JSON valide : {error}") from error
    return parse_labels(data)


def score_case(result_ids: list[str], labels: Labels | None) -> CaseScore:
    """How the top ``TOP`` of ``result_ids`` is judged by ``labels`` (no labels: all unlabelled)."""
    labels = labels or Labels()
    top = result_ids[:TOP]
    score = CaseScore(returned=len(result_ids))
    for result in top:
        if result in labels.relevant:
            score.relevant.append(result)
        elif result in labels.not_relevant:
            score.not_relevant.append(result)
        else:
            score.unlabelled.append(result)
    return score


def is_foreign(place_country: str, buyer_country: str) -> bool:
    """Executed outside France: the place's country, else the buyer's, is known and is not France."""
    country = (place_country or buyer_country or "").upper()
    return bool(country) and country != "FR"


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


# ---------- child: the throwaway database and the searches ----------


def child_setup(data_dir: Path) -> None:
    """Migrate, load the referentials, import the notices and the DECP samples (once per database)."""
    import io

    from django.core.management import call_command

    from tremplin.ingest.decp_import.service import import_decp
    from tremplin.notices.importer import import_notices
    from tremplin.notices.models import Notice

    quiet = io.StringIO()
    call_command("migrate", "--noinput", verbosity=0, stdout=quiet)
    if Notice.objects.exists():
        return
    call_command("load_referentials", "--from", str(data_dir / "reference"), verbosity=0, stdout=quiet)
    for source, folders in NOTICE_FOLDERS.items():
        paths = [data_dir / folder for folder in folders if (data_dir / folder).is_dir()]
        if paths:
            import_notices(paths, source)
    decp = sorted(p for p in (data_dir / "decp" / "real" / "format_2019").iterdir() if p.is_file())
    import_decp(decp, workers=0, snapshot=False)


def open_every_notice() -> int:
    """Every call for competition gets a deadline ``OPEN_DAYS`` days from now (see the module's docstring)."""
    import datetime as dt

    from django.utils import timezone

    from tremplin.notices.models import Kind, Notice

    deadline = timezone.now() + dt.timedelta(days=OPEN_DAYS)
    return Notice.objects.filter(kind=Kind.COMPETITION).update(
        deadline_at=deadline, deadline_date=timezone.localdate(deadline)
    )


def choose_holders(count: int) -> list[tuple[str, str, object]]:
    """(division, activity, organisation) for the first ``count`` activities: the holder with the most contracts
    in that division among those whose main division it is (ties: the smallest SIRET)."""
    from tremplin.matching.loaders import contracts_won
    from tremplin.organisations.models import Organisation

    by_division: dict[str, list[tuple[int, int]]] = {}
    for organisation_id, divisions in contracts_won().items():
        division, won = max(divisions.items(), key=lambda item: (item[1], item[0]))
        by_division.setdefault(division, []).append((won, organisation_id))
    wanted = {division: rows for division, rows in by_division.items() if division in dict(ACTIVITIES)}
    organisations = Organisation.objects.in_bulk([pk for rows in wanted.values() for _won, pk in rows])
    chosen = []
    for division, activity in ACTIVITIES[:count]:
        rows = wanted.get(division)
        if rows:
            _won, pk = min(rows, key=lambda row: (-row[0], organisations[row[1]].siret))
            chosen.append((division, activity, organisations[pk]))
    return chosen


def build_profile(organisation):
    """The organisation's profile, built as ``tremplin.suppliers.demo.create_demo_profiles`` does."""
    from collections import Counter

    from django.db.models import Count

    from tremplin.referentials.models import CpvCode, Department
    from tremplin.suppliers import demo
    from tremplin.suppliers.models import SupplierActivity, SupplierPerimeter, SupplierProfile
    from tremplin.suppliers.references import contracts_held

    existing = SupplierProfile.objects.filter(organisation=organisation).first()
    if existing:
        return existing
    contracts = contracts_held(organisation)
    cpv_counts = Counter(dict(contracts.exclude(cpv="").values_list("cpv").annotate(n=Count("id"))))
    territories = Counter(
        dict(contracts.exclude(territory_department="").values_list("territory_department").annotate(n=Count("id")))
    )
    profile = SupplierProfile(organisation=organisation, prefilled=True)
    activities = demo._activities(profile, cpv_counts, set(CpvCode.objects.values_list("code", flat=True)))
    profile.save()
    SupplierActivity.objects.bulk_create(activities)
    SupplierPerimeter.objects.bulk_create(demo._perimeter(profile, territories, Department.objects.in_bulk()))
    return profile


def describe_profile(profile) -> dict:
    perimeters = []
    for perimeter in profile.perimeters.select_related("department", "region"):
        if perimeter.kind == "department":
            perimeters.append(f"département {perimeter.department.name} ({perimeter.department_id})")
        elif perimeter.kind == "region":
            perimeters.append(f"région {perimeter.region.name}")
        else:
            perimeters.append(str(perimeter))
    return {
        "cpv": [[a.cpv_id, a.cpv.label, a.description] for a in profile.activities.select_related("cpv") if a.cpv_id],
        "perimeter": perimeters,
    }


def profile_words(profile) -> str:
    """The ``cpv-labels`` variant's query text: the organisation's description and its activities' CPV labels
    (what the supplier index already reads for the other direction), without the demo's boilerplate
    descriptions ("D'après 3 marchés remportés.")."""
    labels = [a.cpv.label for a in profile.activities.select_related("cpv") if a.cpv_id]
    return " ".join(w for w in [profile.organisation.description, *labels] if w)


def search_case(profile, variant: str) -> list[dict]:
    """The top ``TOP`` notices for ``profile`` under ``variant`` (see ``VARIANTS``)."""
    from dataclasses import replace

    from tremplin.matching.services import MAX_LIMIT, query_for_profile, search_opportunities
    from tremplin.notices.models import Notice

    query = query_for_profile(profile)
    if "cpv-labels" in variant:
        query = replace(query, text=profile_words(profile))
    france_only = "france-only" in variant
    matches = search_opportunities(query, limit=MAX_LIMIT if france_only else TOP)
    notices = Notice.objects.in_bulk([m.pk for m in matches])
    results = []
    for match in matches:
        notice = notices[match.pk]
        foreign = is_foreign(notice.place_country, notice.buyer_country)
        if france_only and foreign:
            continue
        results.append(
            {
                "id": f"{notice.source}:{notice.source_id}",
                "score": match.score,
                "title": notice.title[:110],
                "cpv": notice.cpv,
                "place": notice.place_department or notice.place_country or notice.buyer_country or "?",
                "foreign": foreign,
                "reasons": list(match.reasons),
            }
        )
    return results[:TOP]


def child_main(data_dir: Path, cases: int, variant: str) -> None:
    import django

    django.setup()
    child_setup(data_dir)
    opened = open_every_notice()
    output = {"open_notices": opened, "variant": variant, "cases": []}
    for division, activity, organisation in choose_holders(cases):
        profile = build_profile(organisation)
        output["cases"].append(
            {
                "holder_siret": organisation.siret,
                "name": organisation.name,
                "division": division,
                "activity": activity,
                **describe_profile(profile),
                "results": search_case(profile, variant),
            }
        )
    print(json.dumps(output, ensure_ascii=False))


# ---------- parent: run the child, judge, print ----------


def run_child(data_dir: Path, cases: int, work_dir: Path | None, variant: str = "engine") -> dict:
    temporary = None if work_dir else Path(tempfile.mkdtemp(prefix="tremplin-precision-"))
    var_dir = work_dir or temporary
    var_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DEBUG="false", SECRET_KEY="bench-" + "x" * 60, ALLOWED_HOSTS="localhost")
    env.update(TREMPLIN_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="tremplin.settings", PYTHONPATH=str(ROOT))
    env.pop("DATABASE_URL", None)
    command = [
        sys.executable,
        __file__,
        "--child",
        "--data-dir",
        str(data_dir),
        "--cases",
        str(cases),
        "--variant",
        variant,
    ]
    try:
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-5000:], file=sys.stderr)
        raise SystemExit("l'évaluation a échoué (voir ci-dessus)")
    return json.loads(done.stdout.strip().splitlines()[-1])


def show_case(case: dict, score: CaseScore) -> None:
    print(f"\n=== {case['name']} (SIRET {case['holder_siret']}) — {case['activity']} (division {case['division']})")
    for code, label, description in case["cpv"]:
        print(f"    CPV {code} {label} — {description}")
    print(f"    zone : {', '.join(case['perimeter']) or '(aucune)'}")
    verdicts = {**{r: "OUI" for r in score.relevant}, **{r: "non" for r in score.not_relevant}}
    for rank, result in enumerate(case["results"][:TOP], 1):
        verdict = verdicts.get(result["id"], "?")
        print(f"  {rank:2}. [{verdict:3}] {result['score']:5.1f}  {result['id']}  CPV {result['cpv'] or '—'}  "
              f"{result['place']}  {result['title']}")  # fmt: skip
        print(f"             {' ; '.join(result['reasons']) or '(aucune raison)'}")


def foreign_in_top(case: dict) -> int:
    return sum(1 for result in case["results"][:TOP] if result.get("foreign"))


def report(output: dict, labels: dict[str, Labels], show: bool) -> dict:
    rows = []
    for case in output["cases"]:
        score = score_case([r["id"] for r in case["results"]], labels.get(case["holder_siret"]))
        if show:
            show_case(case, score)
        rows.append((case, score))
    print(f"\nAvis ouverts pour l'évaluation : {output['open_notices']} ; variante : {output['variant']}")
    print(f"{'cas':34} {'activité':26} {'zone':32} {'P@10':>5}  pert. / non / sans étiquette — hors France")
    for case, score in rows:
        zone = ", ".join(case["perimeter"])[:32]
        print(f"{case['name'][:34]:34} {case['activity'][:26]:26} {zone:32} {percent(score.precision):>5}  "
              f"{len(score.relevant)} / {len(score.not_relevant)} / {len(score.unlabelled)} — "
              f"{foreign_in_top(case)}")  # fmt: skip
    unlabelled = sum(len(score.unlabelled) for _case, score in rows)
    if unlabelled:
        print(f"Attention : {unlabelled} résultat(s) sans étiquette, comptés comme non pertinents.")
    empty = [case["name"] for case, score in rows if score.precision is None]
    if empty:
        print(f"Sans aucun résultat (hors moyenne) : {', '.join(empty)}")
    overall = mean([score.precision for _case, score in rows if score.precision is not None])
    print(f"Précision@10 moyenne : {percent(overall)} sur {len(rows) - len(empty)} cas")
    # Cases for which the labels know at least one relevant notice: the others cannot score above 0 whatever the
    # ranking (the samples hold nothing for them), so this mean says more about the ranking itself.
    answerable = [score.precision or 0.0 for case, score in rows if labels.get(case["holder_siret"], Labels()).relevant]
    answerable_mean = mean(answerable)
    print(f"… sur les {len(answerable)} cas ayant au moins un avis pertinent connu : {percent(answerable_mean)}")
    return {
        "open_notices": output["open_notices"],
        "variant": output["variant"],
        "mean_precision_at_10": None if overall is None else round(overall, 3),
        "unlabelled": unlabelled,
        "answerable_cases": len(answerable),
        "answerable_mean_precision_at_10": None if answerable_mean is None else round(answerable_mean, 3),
        "cases": [
            {
                "holder_siret": case["holder_siret"],
                "name": case["name"],
                "activity": case["activity"],
                "returned": score.returned,
                "precision_at_10": None if score.precision is None else round(score.precision, 3),
                "relevant": len(score.relevant),
                "not_relevant": len(score.not_relevant),
                "unlabelled": len(score.unlabelled),
                "foreign": foreign_in_top(case),
            }
            for case, score in rows
        ],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--cases", type=int, default=len(ACTIVITIES), help=f"cas évalués (au plus {len(ACTIVITIES)})")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--show", action="store_true", help="afficher chaque profil et son top 10")
    parser.add_argument("--work-dir", type=Path, help="garder la base dans ce dossier et la réutiliser")
    parser.add_argument(
        "--variant",
        choices=VARIANTS,
        default="engine",
        help="engine : query_for_profile tel quel ; cpv-labels : mots de la requête = libellés CPV des activités ; "
        "france-only : avis exécutés hors de France écartés",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.data_dir.resolve(), args.cases, args.variant)
        return 0
    if not (args.data_dir / "reference").is_dir():
        raise SystemExit(f"Données introuvables : {args.data_dir}")
    try:
        labels = load_labels(args.labels)
    except LabelsError as error:
        raise SystemExit(f"Étiquettes illisibles : {error}") from error
    output = run_child(args.data_dir.resolve(), max(1, args.cases), args.work_dir, args.variant)
    print(json.dumps(report(output, labels, args.show), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
