"""Import an office's own ledger (台账) sheet into rows of an atlas table (issue 13, "Import").

Pure: never imports streamlit or ui/. The app's editor page and ``cli.py import`` call, in order:

1. :func:`ledger.read.read_sheet` (bytes + file name) -> :class:`~ledger.read.Sheet`, or raises
   :class:`~ledger.problems.SheetRefused` for a file that cannot be read at all;
2. :func:`ledger.mapping.detect_mapping` -> header -> target;
   :func:`~ledger.mapping.missing_columns` non-empty means the editor maps headers by hand
   (remembered under :func:`~ledger.mapping.headers_key`);
3. :func:`ledger.prepare.prepare` -> :class:`~ledger.prepare.Prepared` (frame, new sources,
   problems, unmatched places, notes); apply only when ``prepared.ready``;
4. :func:`ledger.report.report_xlsx` for the downloadable report;
   :func:`ledger.report.template_xlsx` for the blank template.

Files
  XLSX or CSV only, recognised by content (XLSX = a zip holding ``xl/workbook.xml``); .xls, .ods,
  other zips, PDFs and binary files are refused with "save as .xlsx or CSV". CSV: UTF-8 (BOM or
  not), then GBK/GB18030, tried strictly in that order (a note says when GB18030 was used);
  ``encoding=`` overrides, and a wrong override is refused naming the line. UTF-16 with BOM and
  tab-separated text (Excel "Unicode text") are read too.
  Limits: 10 MB upload, 10,000 data rows, 100 columns, XLSX at most 1,000 parts, 100 MB
  unpacked, no part over 1 MB compressed more than 200 times (zip bombs). XLSX is opened with
  openpyxl read-only, ``data_only=False``, ``keep_links=False``: a formula is a problem naming
  its cell (never evaluated, cached values never trusted), external links are neither followed
  nor read (a note). Merged cells in the header or body are problems (only the top-left cell
  holds a value). Hidden sheets are ignored with a note; the first visible sheet is read unless
  ``sheet=`` names one.
  The header is the first row with two or more filled cells among the first ten filled rows
  (a title row above it is skipped with a note). Empty rows are skipped; rows keep the number
  Excel/WPS shows. Cells are trimmed; control characters and cells over 5,000 characters are
  problems; a CSV row with more or fewer cells than the header is a problem.

Headers (Chinese or English; spaces, case, full-width forms and "(必填)" ignored)
  pairings: 结对编号 | 层级/级别 | 帮扶方/帮扶单位/成都方/蒲江方 |
  受援方/受援单位/结对方/甘孜方/泸定方 | 结对形式/关系 | 结对时间/日期/时间/年份 |
  来源/出处 | 原文/引文/摘录.
  projects: 项目编号 | 角色 | 结对编号 | 项目类型/类型/类别 | 项目名称/名称/项目 |
  英文名称 | 帮扶方 | 受援方 | 受援方说明 | 日期/时间/年份/实施时间 | 起始年份 |
  结束年份 | 来源 | 原文 | 备注.
  figures: 数字编号 | 项目编号 or 项目名称 | 指标 | 指标名称 | 数量/数值 | 单位 |
  限定 | 依据 | 原文.
  The atlas column names (helper_code, title_zh, ...) always work. A place may be split across
  columns whose header names a side and a level: 帮扶县/帮扶乡镇/帮扶村,
  受援县区/受援乡镇（街道）/受援村（社区）.
  A bare 县/乡镇/村 column is ambiguous (which side?) and is left to the mapping step. 序号 is a
  row counter, never an id. Unknown headers are ignored with a note.

Rules
  Places: a 6-, 9- or 12-digit code first; then the current name within the side's county
  (the county all atlas pairings have on that side, when there is one) at the column's level;
  a name without its 镇/乡/街道/村 suffix when unique; a full path in one cell
  (蒲江县大塘镇八角井村);
  then the alias table (renamed/merged: resolved with a note, e.g. 寿安镇 -> 寿安街道,
  复兴乡 -> 西来镇; probable/unresolved: only suggested); then rapidfuzz suggestions. An abolished
  unit is reported with its successor when known. Every unmatched row is listed (``unmatched``
  and ``problems``) until the editor decides: ``decisions["row:column"] = code`` or ``""`` to
  leave the row out.
  Dates: 2019, 2019年, 2019-3, 2019.03, 2019年3月, 2019/3/5, 2019年3月5日, Excel dates and serial
  numbers (43466 -> 2019-01-01, with a note) -> YYYY / YYYY-MM / YYYY-MM-DD and the precision;
  a range (2019-2020, 2019年至2020年) is a period (projects only); 20190305 and 201903 too. An
  XLSX date keeps the precision its number format shows (2019年3月 typed in Excel -> 2019-03).
  No date may be later than its source's publication year (the atlas refuses it on load).
  Numbers: full-width digits, "1,000" (read as 1000, with a note), "10余" / "近500人" / "20万元"
  (quantity + qualifier + unit; a clash with the qualifier or unit column is a problem);
  negative or over 1e9 refused.
  Vocabularies (level, role, type, measure, unit, qualifier, basis) take the key, the Chinese or
  English label and common words (e.g. 计划/协议 -> agreed); anything else is a problem naming
  the nearest allowed value. Missing basis -> reported (note: agreed figures must say so);
  missing English title -> the Chinese title (note); missing relation -> from the level (note).
  Sources: an existing source id is used, and so is a source named by its address or exact
  title; other free text becomes a new source row (id import-NN)
  with title, publisher, date and url read where possible and left empty otherwise, kind
  "article", and a note: the editor confirms it (publisher and licence are left empty, and the
  atlas requires them: the editor completes them before applying). A new source dated in the
  future is a problem. Quotes are kept verbatim (only the ends trimmed).
  Ids: an id column is kept (an atlas id means "this row replaces that one"); a row without id
  that is already in the atlas (same helper and partner; same title, helper and partner; same
  project, measure and unit) takes that row's id with a note, so importing a whole ledger again
  updates rather than doubles it; otherwise new ids follow the atlas's (P05, PR23, F21...).
  A row replacing a pairing may not move it away from its projects. Projects find their
  pairing by id, or by helper and partner (the most specific pairing they fit); figures find
  their project by id or exact title. A missing reference, a duplicate row or a duplicate id
  within the file is a problem.
  A code Excel saved as 5.10131E+11 is explained (its digits are lost).
  Mapping: ``TARGET_LABELS`` names every target for the mapping step; an editor's mapping is
  checked (unknown or repeated targets, two columns with one header are problems), stored
  under ``headers_key`` and reapplied with ``reuse_mapping``.
  Output: ``Prepared.frame`` holds exactly the table's columns as text, as the CSVs in data/;
  rows with a problem are left out of it; ``Prepared.ready`` says whether apply may proceed
  (each unmatched place is also a problem, so the report lists it).
"""
