"""The shape of an NGO sheet: where its header is, what each column means, and how a wide
layout unpivots into one record per value.

- The header is found below title rows; multi-row and merged headers are joined
  ("Reached" over "Women" is "Reached Women"); an HXL hashtag row (#indicator+code, #adm1,
  #reached+f, #group+dim+sex) under or instead of the header is recognised and mapped first;
  a hashtag that names no field (#meta+quality) leaves the column to its header.
- A column maps to a target: a field of an observation (``indicator_code``, ``period``,
  ``value``, ``dim:sex`` ...), possibly with constants taken from its header: a quarter
  (quarters as columns), an indicator code (indicators as columns) or a disaggregation
  category (#reached+f, "Women"). Columns with the same constants form one record per row.
- Header names are matched with synonyms in English, French, Spanish, Italian and
  Portuguese, and with the column headers of the programme workbook's Observations sheet, so
  that sheet (and the quarterly report's Observations_raw) imports with no mapping at all.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from coprod_me.model.errors import DomainError
from coprod_me.spreadsheets.cells import column_letter, is_blank, to_number
from coprod_me.spreadsheets.ngo_source import Grid
from coprod_me.spreadsheets.ngo_values import code_key, fold, quarter_from_text

IGNORE = "ignore"
DIM_PREFIX = "dim:"

#: Target fields and how the wizard names them.
FIELDS: dict[str, str] = {
    IGNORE: "(ignore)",
    "programme_code": "programme code",
    "indicator_code": "indicator code",
    "indicator_name": "indicator name",
    "period": "quarter",
    "strand": "strand or site (code or name)",
    "phase": "phase",
    "value": "value",
    "numerator": "numerator",
    "denominator": "denominator",
    "n_sample": "sample size",
    "ci_low": "confidence interval, low",
    "ci_high": "confidence interval, high",
    "quality_status": "quality status",
    "verification_type": "verification type",
    "data_source": "data source",
    "collection_method": "collection method",
    "evidence_code": "evidence code",
    "comment": "comment",
    "data_label": "data label (R or I)",
}
#: Fields that hold a figure (and may be spread over several columns in a wide layout).
FIGURES = ("value", "numerator", "denominator", "n_sample", "ci_low", "ci_high")

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "programme_code": ("programme code", "program code", "programme", "program", "programa",
                       "programma", "code programme", "codigo programa"),
    "indicator_code": (
        "indicator code", "indicator", "indicator id", "code", "indicateur",
        "code indicateur", "code de l indicateur", "indicador", "codigo indicador",
        "codigo del indicador", "codigo do indicador", "indicatore", "codice indicatore",
        "kpi", "measure code"),
    "indicator_name": ("indicator name", "nom de l indicateur", "nom indicateur",
                       "nombre del indicador", "nome indicatore", "nome do indicador",
                       "indicator description", "libelle"),
    "period": ("period", "quarter", "reporting period", "reporting quarter", "periode",
               "trimestre", "periodo", "date", "fecha", "data", "month", "mois", "mes",
               "mese", "periodo de reporte", "periodo di riferimento", "date reported"),
    "strand": ("strand", "strand code", "site", "site code", "location", "district",
               "region", "province", "commune", "municipality", "municipio", "comune",
               "lieu", "sitio", "sito", "localidad", "localidade", "local", "zone", "area",
               "village", "ward", "departement", "departamento", "provincia", "strand name",
               "site name"),
    "phase": ("phase", "fase", "etapa", "co production phase", "cycle phase"),
    "value": ("value", "values", "valeur", "valeurs", "valor", "valores", "valore", "valori",
              "result", "results", "resultat", "resultats", "resultado", "resultados",
              "risultato", "risultati", "actual", "achieved", "achievement", "realise",
              "realisation", "logrado", "realizado", "raggiunto", "figure", "amount",
              "total", "reached", "number reached", "people reached", "atteints",
              "atteintes", "alcanzados", "alcanzadas", "raggiunti", "raggiunte",
              "atingidos", "atingidas", "beneficiaries", "beneficiaires", "beneficiarios",
              "beneficiari", "participants", "participantes", "partecipanti"),
    "numerator": ("numerator", "numerateur", "numerador", "numeratore", "num"),
    "denominator": ("denominator", "denominateur", "denominador", "denominatore", "den",
                    "denom"),
    "n_sample": ("n sample", "sample size", "sample", "n", "taille de l echantillon",
                 "echantillon", "tamano de la muestra", "muestra", "campione",
                 "dimensione del campione", "tamanho da amostra", "amostra"),
    "ci_low": ("ci low", "lower bound", "lower ci"),
    "ci_high": ("ci high", "upper bound", "upper ci"),
    "quality_status": ("quality status", "quality", "data quality", "qualite", "calidad",
                       "qualita", "qualidade"),
    "verification_type": ("verification type", "verification", "verificacion"),
    "data_source": ("data source", "source", "fuente", "fonte", "source des donnees",
                    "fuente de datos", "fonte dei dati", "fonte de dados"),
    "collection_method": ("collection method", "method", "methode", "metodo",
                          "methode de collecte", "metodo de recoleccion",
                          "metodo di raccolta", "metodo de coleta"),
    "evidence_code": ("evidence code", "evidence", "evidence ref", "evidence reference"),
    "comment": ("comment", "comments", "remark", "remarks", "note", "notes", "commentaire",
                "commentaires", "comentario", "comentarios", "commento", "commenti",
                "observaciones", "observacoes", "observations", "osservazioni"),
    "data_label": ("data label",),
    "dim:sex": ("sex", "sexe", "sexo", "sesso", "gender", "genre", "genero", "genere"),
    "dim:age_band": ("age band", "age group", "age", "tranche d age", "groupe d age",
                     "grupo de edad", "edad", "fascia d eta", "eta", "faixa etaria",
                     "idade"),
    "dim:disability_wgss": ("disability", "handicap", "discapacidad", "disabilita",
                            "deficiencia"),
    "dim:locality": ("locality", "urban rural", "milieu", "area de residencia"),
    "dim:channel": ("channel", "canal", "canale"),
    "dim:social_group": ("social group", "groupe social", "grupo social", "gruppo sociale"),
    "dim:income_quintile": ("income quintile", "quintile", "quintil"),
}
_BY_SYNONYM: dict[str, str] = {}
for _field, _names in _SYNONYMS.items():
    for _name in (*_names, _field.replace("_", " ")):
        _BY_SYNONYM.setdefault(fold(_name), _field)
# The programme workbook's Observations headers (and the report's Observations_raw) map as is.
for _h in ("programme_code", "indicator_code", "strand_code", "period", "phase", "value",
           "numerator", "denominator", "n_sample", "ci_low", "ci_high", "quality_status",
           "verification_type", "data_source", "collection_method", "evidence_code", "comment",
           "data_label"):
    _BY_SYNONYM[fold(_h)] = "strand" if _h == "strand_code" else _h
    _BY_SYNONYM[fold(_h.replace("_", " "))] = _BY_SYNONYM[fold(_h)]

#: Disaggregation categories a header may end with ("Reached Women", "Hombres").
_SEX_WORDS = {
    "female": ("female", "females", "women", "woman", "girls", "f", "femmes", "femme",
               "filles", "mujeres", "mujer", "ninas", "donne", "donna", "ragazze",
               "mulheres", "mulher", "meninas", "feminin", "femenino", "femminile",
               "feminino"),
    "male": ("male", "males", "men", "man", "boys", "m", "hommes", "homme", "garcons",
             "hombres", "hombre", "ninos", "uomini", "uomo", "ragazzi", "homens", "homem",
             "meninos", "masculin", "masculino", "maschile"),
}
_SEX_BY_WORD = {w: cat for cat, words in _SEX_WORDS.items() for w in words}

_HASHTAG = re.compile(r"^#[a-z][a-z0-9_]*(\s*\+[a-z][a-z0-9_]*)*$", re.IGNORECASE)
_HXL_FIELDS: dict[str, str] = {
    "indicator": "indicator_code", "date": "period", "period": "period",
    "loc": "strand", "adm1": "strand", "adm2": "strand", "adm3": "strand", "adm4": "strand",
    "adm5": "strand", "site": "strand", "reached": "value", "affected": "value",
    "value": "value", "sex": "dim:sex", "gender": "dim:sex", "age": "dim:age_band",
    "description": "comment", "phase": "phase",
}
#: Attributes of #indicator, #meta and #value that name a field; the first present wins, so
#: the specific ones (+num+sample, the sample size) come before +num (the value).
_HXL_ATTR_FIELDS = {"name": "indicator_name", "numerator": "numerator",
                    "denominator": "denominator", "sample": "n_sample", "ci_low": "ci_low",
                    "ci_high": "ci_high", "value": "value", "num": "value",
                    "comment": "comment", "source": "data_source"}
#: ``#group+dim+age_band``: a disaggregation column (as ``coprod-me export hxl`` writes it)
_HXL_DIMENSION = "dim"


@dataclass(frozen=True)
class Target:
    """What a source column feeds: a field, with constants its header supplies."""

    field: str
    period: str | None = None
    indicator: str | None = None
    dims: tuple[tuple[str, str], ...] = ()

    @property
    def group(self) -> tuple[Any, ...]:
        """Columns with the same constants make one record per row."""
        return (self.period, self.indicator, self.dims)

    @property
    def is_ignored(self) -> bool:
        return self.field == IGNORE

    def text(self) -> str:
        """Compact text, as saved in a mapping: ``value;period=2024Q2;sex=female``."""
        parts = [self.field]
        if self.period:
            parts.append(f"period={self.period}")
        if self.indicator:
            parts.append(f"indicator={self.indicator}")
        parts += [f"{d}={c}" for d, c in self.dims]
        return ";".join(parts)

    def label(self) -> str:
        """How the wizard shows it: ``value · 2024Q2 · sex=female``."""
        name = FIELDS.get(self.field, self.field)
        extra = [x for x in (self.period, self.indicator) if x]
        extra += [f"{d}={c}" for d, c in self.dims]
        return " · ".join([name, *extra])

    @classmethod
    def parse(cls, text: str) -> Target:
        field_name, *rest = text.split(";")
        period = indicator = None
        dims = []
        for part in rest:
            k, _, v = part.partition("=")
            if k == "period":
                period = v
            elif k == "indicator":
                indicator = v
            else:
                dims.append((k, v))
        if field_name not in FIELDS and not field_name.startswith(DIM_PREFIX):
            raise DomainError(f"'{field_name}' is not a field a column can map to; use one of "
                              f"{', '.join(FIELDS)} or dim:<dimension>")
        return cls(field_name, period, indicator, tuple(sorted(dims)))


IGNORED = Target(IGNORE)


@dataclass
class Shape:
    """Where the header is and what each column is called (0-based sheet positions)."""

    header_row: int
    header_rows: int
    hxl_row: int | None
    headers: list[str]  # one per sheet column from 0, joined over the header rows
    hashtags: list[str]
    first_data_row: int

    def key(self, col: int) -> str:
        """A column's name in a mapping: its header, or its letter when it has none."""
        h = self.headers[col] if col < len(self.headers) else ""
        return h or f"column {column_letter(col + 1)}"

    def column_keys(self) -> list[str]:
        seen: dict[str, int] = {}
        out = []
        for c in range(len(self.headers)):
            k = self.key(c)
            seen[k] = seen.get(k, 0) + 1
            out.append(k if seen[k] == 1 else f"{k} ({seen[k]})")  # repeated headers
        return out


@dataclass
class ColumnMapping:
    """The user's (or the suggestion's) reading of a sheet: header position and targets."""

    header_row: int  # 1-based, as the spreadsheet numbers rows
    header_rows: int = 1
    columns: dict[str, str] = field(default_factory=dict)  # column key -> Target.text()

    def target(self, key: str) -> Target:
        return Target.parse(self.columns.get(key, IGNORE))

    def to_json(self) -> str:
        return json.dumps({"version": 1, "header_row": self.header_row,
                           "header_rows": self.header_rows, "columns": self.columns},
                          ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ColumnMapping:
        try:
            d = json.loads(text)
            return cls(int(d["header_row"]), int(d.get("header_rows", 1)),
                       {str(k): str(v) for k, v in d["columns"].items()})
        except (ValueError, KeyError, TypeError):
            raise DomainError("the saved mapping is damaged; map the columns again and save "
                              "it under the same name") from None


# ------------------------------------------------------------------------------- headers


def _texty(v: Any) -> bool:
    if is_blank(v) or isinstance(v, (bool, int, float, date, datetime)):
        return False
    s = str(v).strip()
    try:
        return to_number(s, percent=True) is None
    except DomainError:
        return True


def _numeric(v: Any) -> bool:
    if isinstance(v, (int, float, date, datetime)) and not isinstance(v, bool):
        return True
    if isinstance(v, str) and v.strip():
        try:
            return to_number(v, percent=True) is not None
        except DomainError:
            return False
    return False


def is_hxl_row(row: Sequence[Any]) -> bool:
    filled = [str(v).strip() for v in row if not is_blank(v)]
    tags = [v for v in filled if _HASHTAG.match(v)]
    return len(tags) >= 1 and len(tags) >= 0.5 * len(filled)


def _merged_fill(grid: Grid) -> dict[tuple[int, int], Any]:
    """Every cell of a merged range carries the range's top-left value."""
    out: dict[tuple[int, int], Any] = {}
    for (r1, c1), (r2, c2) in grid.merged:
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 10000:
            continue  # a merge over a whole sheet names nothing
        v = grid.cell(r1, c1)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                out[(r, c)] = v
    return out


def _h_merged_rows(grid: Grid) -> set[int]:
    return {r1 for (r1, c1), (_r2, c2) in grid.merged if c2 > c1}


def find_shape(grid: Grid, header_row: int | None = None, header_rows: int | None = None
               ) -> Shape:
    """Find (or, given ``header_row`` 1-based, use) the header band and the HXL row."""
    width = grid.col0 + grid.width
    top = grid.row0
    probe = [[grid.cell(r, c) for c in range(width)]
             for r in range(top, top + min(len(grid.rows), 40))]
    if not probe:
        raise DomainError(f"{grid.file}, sheet {grid.sheet}, is empty; choose the sheet that "
                          "holds the figures")
    hxl_at = next((i for i, row in enumerate(probe) if is_hxl_row(row)), None)
    if header_row is not None:
        start = header_row - 1 - top
    elif hxl_at is not None and hxl_at > 0 and sum(_texty(v) for v in probe[hxl_at - 1]) >= 1:
        start = hxl_at - 1
        # merged group headers above ("¿Qué?" over "Registro") belong to the band
        merged_rows = _h_merged_rows(grid)
        while start > 0 and (top + start - 1) in merged_rows:
            start -= 1
    elif hxl_at == 0:
        start = 0
    else:
        counts = [sum(not is_blank(v) for v in row) for row in probe]
        widest = max(counts)
        start = next((i for i, n in enumerate(counts)
                      if n >= max(2, 0.5 * widest) and sum(_texty(v) for v in probe[i]) >= 0.5 * n),
                     counts.index(widest))
    start = max(0, start)
    if header_rows is None:
        rows = 1
        merged_rows = _h_merged_rows(grid)
        while start + rows < len(probe) and rows < 4:
            nxt = probe[start + rows]
            if start + rows == hxl_at:
                break
            if hxl_at is not None and start + rows < hxl_at:
                rows += 1  # everything between the header and the HXL row is header
                continue
            last = start + rows - 1
            gaps = any(is_blank(probe[last][c]) and _texty(nxt[c]) for c in range(width))
            if any(_numeric(v) for v in nxt) or not (top + last in merged_rows or gaps):
                break
            if not any(_texty(v) for v in nxt):
                break
            rows += 1
        header_rows = rows
    fill = _merged_fill(grid)
    headers: list[str] = []
    for c in range(width):
        parts: list[str] = []
        for r in range(top + start, top + start + header_rows):
            v = fill.get((r, c), grid.cell(r, c))
            text = "" if is_blank(v) else _header_text(v)
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        headers.append(" ".join(parts))
    if header_rows > 1 and grid.text_only:
        headers = _carry_group_headers(grid, top + start, header_rows, width)
    hashtags = [""] * width
    first_data = top + start + header_rows
    if hxl_at is not None and hxl_at >= start:
        row = probe[hxl_at]
        hashtags = ["" if is_blank(v) else str(v).strip().lower() for v in row]
        first_data = top + hxl_at + 1
        if hxl_at == start:  # hashtags instead of headers
            headers = list(hashtags)
    elif first_data < top + len(probe) and is_hxl_row(probe[first_data - top]):
        hashtags = ["" if is_blank(v) else str(v).strip().lower() for v in probe[first_data - top]]
        first_data += 1
    return Shape(top + start, header_rows, None if hxl_at is None else top + hxl_at,
                 headers, hashtags, first_data)


def _header_text(v: Any) -> str:
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return " ".join(str(v).split())


def _carry_group_headers(grid: Grid, first: int, n: int, width: int) -> list[str]:
    """CSV has no merges: a group header stands over its first column and the blanks right of
    it ("Reached,," over ",Women,Men")."""
    out = []
    carried = [""] * n
    for c in range(width):
        parts: list[str] = []
        for k in range(n):
            v = grid.cell(first + k, c)
            if not is_blank(v):
                carried[k] = _header_text(v)
                for j in range(k + 1, n):
                    carried[j] = ""
            elif k == n - 1:
                carried[k] = ""
            if carried[k] and (not parts or parts[-1] != carried[k]):
                parts.append(carried[k])
        out.append(" ".join(parts))
    return out


def header_signature(shape: Shape) -> str:
    """What identifies a sender's layout: its folded column names, in order."""
    text = "\x1f".join(fold(k) for k in shape.column_keys())
    return hashlib.sha256(text.encode()).hexdigest()


# ------------------------------------------------------------------------------- suggestion


def _from_hashtag(tag: str) -> Target | None:
    parts = [p.strip() for p in tag.lower().split("+")]
    base = parts[0].lstrip("#").removeprefix("x_")
    attrs = set(parts[1:])
    dims: tuple[tuple[str, str], ...] = ()
    sex = [_SEX_BY_WORD[a] for a in attrs if a in _SEX_BY_WORD]
    if len(set(sex)) == 1:
        dims = (("sex", sex[0]),)
    if base == "group" and _HXL_DIMENSION in attrs and len(attrs) == 2:
        (dimension,) = attrs - {_HXL_DIMENSION}
        return Target(DIM_PREFIX + dimension)
    for attr, f in _HXL_ATTR_FIELDS.items():
        if attr in attrs and base in ("indicator", "meta", "value"):
            return Target(f, dims=dims if f in FIGURES else ())
    if base == "meta":
        return None
    mapped = _HXL_FIELDS.get(base)
    if mapped is None:
        return None
    return Target(mapped, dims=dims if mapped in FIGURES else ())


def _from_header(header: str, indicator_codes: dict[str, str]) -> Target | None:
    h = header.strip()
    if not h:
        return None
    low = h.lower()
    if low.startswith(DIM_PREFIX):
        code = fold(low[len(DIM_PREFIX):]).replace(" ", "_")
        return Target(DIM_PREFIX + code) if code else None
    f = fold(h)
    if f in _BY_SYNONYM:
        return Target(_BY_SYNONYM[f])
    q = quarter_from_text(h)
    if q is not None:
        return Target("value", period=q)
    ind = indicator_codes.get(code_key(h))
    if ind is not None:
        return Target("value", indicator=ind)
    words = f.split()
    if len(words) >= 2:
        # "Reached Women", "Value 2024 Q2", "T-O1 2024Q2": a figure with constants
        for cut in range(1, len(words)):
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])
            base = _BY_SYNONYM.get(head)
            if tail in _SEX_BY_WORD and (base in FIGURES or (
                    base is None and code_key(head) in indicator_codes)):
                ind = None if base else indicator_codes[code_key(head)]
                return Target(base or "value", indicator=ind,
                              dims=(("sex", _SEX_BY_WORD[tail]),))
            if head in _SEX_BY_WORD and _BY_SYNONYM.get(tail) in FIGURES:
                return Target(_BY_SYNONYM[tail], dims=(("sex", _SEX_BY_WORD[head]),))
            q = quarter_from_text(tail)
            if q is not None and (base in FIGURES or base is None) and \
                    code_key(head) not in indicator_codes:
                return Target(base or "value", period=q)  # "Resultados" over "Q1 2024"
            if q is not None and code_key(head) in indicator_codes:
                return Target("value", period=q, indicator=indicator_codes[code_key(head)])
    if f in _SEX_BY_WORD and len(f) > 1:
        return Target("value", dims=(("sex", _SEX_BY_WORD[f]),))
    return None


def suggest_mapping(shape: Shape, indicator_codes: Iterable[str] = ()) -> ColumnMapping:
    """A first reading of every column: hashtags first, then header names and synonyms."""
    codes = {code_key(c): c for c in indicator_codes}
    mapping = ColumnMapping(shape.header_row + 1, shape.header_rows)
    used: set[Target] = set()
    for col, key in enumerate(shape.column_keys()):
        tag = shape.hashtags[col] if col < len(shape.hashtags) else ""
        target = (_from_hashtag(tag) if tag else None) or _from_header(
            shape.headers[col] if col < len(shape.headers) else "", codes)
        if target is None or target in used:
            target = IGNORED  # one column per field: the first one wins, the user may change
        else:
            used.add(target)
        mapping.columns[key] = target.text()
    return mapping


# ------------------------------------------------------------------------------- unpivot


@dataclass(slots=True)
class SourceCell:
    value: Any
    row: int  # 0-based sheet row
    col: int  # 0-based sheet column
    header: str


@dataclass(slots=True)
class SourceRecord:
    """One observation as the sheet states it: cells by field, plus header constants."""

    row: int  # 0-based sheet row
    cells: dict[str, SourceCell]
    period: str | None = None
    indicator: str | None = None
    dims: tuple[tuple[str, str], ...] = ()
    value_col: int | None = None  # the figure's column, to tell a wide row's records apart


def mapping_problems(mapping: ColumnMapping, shape: Shape) -> list[str]:
    """What makes a mapping unusable, each phrased as what to do."""
    keys = shape.column_keys()
    targets = [mapping.target(k) for k in keys if k in mapping.columns]
    problems = []
    unknown = [k for k in mapping.columns if k not in keys]
    if unknown and len(unknown) == len(mapping.columns):
        problems.append("none of the mapped columns are in this sheet; check the header row")
    plain = [t.field for t in targets if not t.is_ignored and t.group == (None, None, ())]
    repeated = sorted({f for f in plain if plain.count(f) > 1})
    for f in repeated:
        problems.append(f"two columns map to {FIELDS.get(f, f)}; keep one and set the other "
                        "to (ignore)")
    figures = [t for t in targets if t.field in ("value", "numerator")]
    if not figures:
        problems.append("no column maps to value (or numerator); map the column that holds "
                        "the figures")
    has_ind = "indicator_code" in plain or "indicator_name" in plain
    has_period = "period" in plain
    for t in figures:
        if not (has_ind or t.indicator):
            problems.append("no column gives the indicator; map the indicator code column, or "
                            "name indicators in the headers of the value columns")
            break
    for t in figures:
        if not (has_period or t.period):
            problems.append("no column gives the quarter; map the quarter (or date) column, or "
                            "use quarters as the headers of the value columns")
            break
    return problems


def is_empty_row(raw: Sequence[Any]) -> bool:
    """A row with nothing in it (blank cells only) states no observation."""
    return not raw or all(v == "" or v is None or (v.__class__ is str and not v.strip())
                          for v in raw)


def _column_groups(shape: Shape, mapping: ColumnMapping) -> tuple[
        list[tuple[int, str, str]], dict[tuple[Any, ...], list[tuple[int, str, str]]],
        dict[tuple[Any, ...], Target]]:
    """(col, field, header) of the columns every record shares, and of each value group."""
    keys = shape.column_keys()
    shared: list[tuple[int, str, str]] = []  # (col, field, header)
    groups: dict[tuple[Any, ...], list[tuple[int, str, str]]] = {}
    group_target: dict[tuple[Any, ...], Target] = {}
    for col, key in enumerate(keys):
        t = mapping.target(key)
        if t.is_ignored:
            continue
        if t.group == (None, None, ()) and t.field not in FIGURES:
            shared.append((col, t.field, key))
        else:
            groups.setdefault(t.group, []).append((col, t.field, key))
            group_target.setdefault(t.group, t)
    return shared, groups, group_target


def long_columns(shape: Shape, mapping: ColumnMapping
                 ) -> tuple[list[tuple[int, str, str]], int] | None:
    """For a long layout (one record per row, no constants from headers): the (col, field,
    header) of each mapped column in the order ``unpivot`` puts them in a record, and the
    figure's column; None for a wide layout."""
    shared, groups, _targets = _column_groups(shape, mapping)
    if len(groups) != 1 or (None, None, ()) not in groups:
        return None
    figures = groups[(None, None, ())]
    value_col = next((c for c, f, _h in figures if f == "value"), figures[0][0])
    return [*shared, *figures], value_col


def unpivot(grid: Grid, shape: Shape, mapping: ColumnMapping) -> list[SourceRecord]:
    """One record per observation: a long row gives one, a wide row one per value group."""
    shared, groups, group_target = _column_groups(shape, mapping)
    wide = not (len(groups) == 1 and (None, None, ()) in groups)
    out: list[SourceRecord] = []
    i0 = shape.first_data_row - grid.row0
    col0 = grid.col0
    shared_at = [(c - col0, f, c, h) for c, f, h in shared]
    groups_at = {g: [(c - col0, f, c, h) for c, f, h in cols] for g, cols in groups.items()}
    errors = grid.errors
    cell_ = SourceCell
    for i in range(max(i0, 0), len(grid.rows)):
        raw = grid.rows[i]
        r = grid.row0 + i
        n = len(raw)
        if is_empty_row(raw):
            continue  # an empty row
        base = {f: cell_(raw[j] if 0 <= j < n else "", r, c, h) for j, f, c, h in shared_at}
        for g, cols in groups_at.items():
            gcells = {f: cell_(raw[j] if 0 <= j < n else "", r, c, h) for j, f, c, h in cols}
            if wide and all(is_blank(x.value) and (r, x.col) not in errors
                            for x in gcells.values()):
                continue  # an empty cell of a wide sheet is no observation
            t = group_target[g]
            value_col = next((x.col for f, x in gcells.items() if f == "value"),
                             next(iter(gcells.values())).col)
            if len(groups_at) == 1:  # a long sheet: one record per row, no copy
                base.update(gcells)
                record_cells = base
            else:
                record_cells = {**base, **gcells}
            out.append(SourceRecord(r, record_cells, t.period, t.indicator, t.dims,
                                    value_col))
        if not groups and base:
            out.append(SourceRecord(r, base))
    return out


def sex_category(text: str) -> str | None:
    """female or male for the ways people write them (Women, F, Mujeres, ...), else None."""
    return _SEX_BY_WORD.get(fold(text))
