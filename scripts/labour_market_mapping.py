"""Hand-curated correspondence BMO 2024 trade (FAP 2021) -> FAP 2009 trades, for industry.

Used by scripts/build_labour_market.py, which turns it into ROME codes through DARES's
FAP 2009 (225) -> ROME table and writes vocations/careers/data/bmo_rome.json.

Why by hand: FAP 2021 codes (BMO 2024) are not FAP 2009 codes with a letter changed (Soudeurs
are D1X33 in FAP 2021, D2Z42 in FAP 2009), and no official FAP 2021 -> FAP 2009 or
FAP 2021 -> ROME table is published offline. Each entry was written by reading the FAP 2021
titles (levels 228 and 341, fap2021_nomenclature.csv) beside the PCS titles of each FAP 2009
code (dares_fap225_pcs.csv).

- ``exact``: the FAP 2021 trade and one FAP 2009 trade name the same job at the same level
  (same PCS); the ROME codes are that FAP 2009 trade's main DARES links.
- ``inferred``: FAP 2021 merged, split or re-levelled FAP 2009 trades; the FAP 2009 trades
  listed cover it, the reason says what differs. ``rome`` (optional) narrows the ROME codes
  to the part of the FAP 2009 trades that fits; the build checks they are among those trades'
  DARES links.
"""

# bmo_code: (fap2009 codes, kind, why, optional narrowed ROME list)
MAPPING: dict[str, tuple[list[str], str, str, list[str] | None]] = {
    "C0X30": (
        ["C0Z20", "C1Z40"],
        "inferred",
        "FAP 2021 merges the unqualified (C0Z20) and qualified (C1Z40) electrical and "
        "electronics workers of FAP 2009.",
        None,
    ),
    "C2X70": (
        ["C2Z70", "C2Z80"],
        "inferred",
        "FAP 2021 merges technicians (C2Z70) and supervisors (C2Z80) in electricity and "
        "electronics; draughtsmen (C2Z71) moved to H0X91.",
        ["H1209", "H1504", "H2501"],
    ),
    "D0X30": (
        ["D0Z20"],
        "inferred",
        "FAP 2009 counts all unqualified metal workers together (D0Z20, PCS 673a machining and "
        "673b forming); FAP 2021 keeps the machining part here.",
        ["H2903", "H2905", "H2906"],
    ),
    "D0X31": (["D1Z41"], "exact", "Qualified machining operators (PCS 623f, 623g).", None),
    "D0X33": (["D1Z40"], "exact", "Régleurs (PCS 628c, 628d).", None),
    "D1X30": (
        ["D2Z40"],
        "inferred",
        "Qualified boilermakers and sheet-metal workers are D2Z40 (PCS 623a, 634b); FAP 2021 "
        "adds the unqualified ones, counted in FAP 2009 among all unqualified metal workers.",
        None,
    ),
    "D1X32": (["D2Z41"], "exact", "Tuyauteurs (PCS 623b).", None),
    "D1X33": (
        ["D2Z42"],
        "exact",
        "Soudeurs (PCS 623c, ROME H2913). FAP 2021 also counts unqualified welders (D1X33a), "
        "whom FAP 2009 counted among unqualified metal workers.",
        None,
    ),
    "D2X30": (
        ["D3Z20"],
        "exact",
        "Unqualified fitting and assembly workers (PCS 673c); the secondary repair links of "
        "D3Z20 are left out.",
        None,
    ),
    "D2X31": (["D4Z40"], "exact", "Qualified fitters and assemblers (PCS 624a, 624g).", None),
    "D2X32": (["D4Z41"], "exact", "Painting and surface treatment (PCS 624f).", None),
    "D6X70": (["D6Z70"], "exact", "Technicians in mechanics and metalwork (PCS 474b, 474c).", None),
    "D6X80": (["D6Z80"], "exact", "Supervisors in mechanical manufacturing (PCS 483a).", None),
    "E0X30": (["E1Z40"], "exact", "Pilots of heavy process plants (PCS 625a, 626a).", None),
    "E1X21": (
        ["E0Z22"],
        "inferred",
        "FAP 2009's E0Z22 also holds unqualified glass, ceramics and building-materials "
        "workers; only its metal production ROME trade is kept.",
        ["H2907"],
    ),
    "E1X30": (
        ["E0Z22", "E1Z43"],
        "inferred",
        "Glass, ceramics and building materials were shared with metal production in E0Z22 "
        "(unqualified) and E1Z43 (qualified); their non-metal ROME trades are kept.",
        ["F1706", "H2801", "H2802", "H2803"],
    ),
    "E1X41": (
        ["E1Z43"],
        "inferred",
        "E1Z43 also holds glass, ceramics and energy workers; its metal production ROME trade "
        "is kept.",
        ["H2907"],
    ),
    "E2X20": (["E0Z20"], "exact", "Unqualified chemistry and plastics workers (PCS 674a).", None),
    "E2X40": (["E1Z41"], "exact", "Qualified chemistry and plastics workers (PCS 625c).", None),
    "E3X20": (["E0Z21"], "exact", "Unqualified food-industry workers (PCS 674b, 674c).", None),
    "E3X40": (["E1Z42"], "exact", "Qualified food-industry workers (PCS 625e).", None),
    "E4X30": (
        ["E0Z23", "E1Z44"],
        "inferred",
        "FAP 2021 merges the unqualified (E0Z23) and qualified (E1Z44) paper, board and wood "
        "panel workers.",
        None,
    ),
    "E4X32": (
        ["E0Z24", "E1Z47"],
        "inferred",
        "FAP 2009 has no packing trade of its own: packing machine operators and manual "
        "packing were in the miscellaneous industrial workers (E0Z24, E1Z47).",
        ["H3301", "H3302"],
    ),
    "E5X70": (
        ["E2Z70", "E1Z46"],
        "inferred",
        "Process-industry technicians (E2Z70) plus the laboratory technicians FAP 2021 adds "
        "(E5X70c, from E1Z46).",
        ["H1404", "H1503", "H1505", "H3202"],
    ),
    "E5X80": (["E2Z80"], "exact", "Process-industry supervisors (PCS 484a, 484b).", None),
    "F0X30": (
        ["F0Z20", "F1Z40"],
        "inferred",
        "Leather workers were shared with textile and clothing in F0Z20 and F1Z40; their "
        "leather ROME trades are kept.",
        ["H2401", "H2407", "H2414"],
    ),
    "F0X32": (
        ["F0Z20", "F1Z40"],
        "inferred",
        "Textile workers were shared with leather and clothing in F0Z20 and F1Z40; their "
        "textile ROME trades are kept.",
        ["H2403", "H2404", "H2405", "H2406", "H2408", "H2413", "H2415"],
    ),
    "F0X33": (
        ["F0Z20", "F1Z40", "F1Z41"],
        "inferred",
        "Clothing workers were shared with textile and leather in F0Z20, F1Z40 and F1Z41; "
        "their clothing ROME trades are kept.",
        ["H2402", "H2409", "H2410", "H2412", "B1803"],
    ),
    "F1X30": (
        ["F3Z40"],
        "inferred",
        "Decorative work and furniture in wood: the furniture craftsmen of F3Z40 (PCS 214a, "
        "214b); FAP 2021 counts employees too.",
        None,
    ),
    "F1X31": (
        ["F2Z20", "F3Z41"],
        "inferred",
        "FAP 2021 merges unqualified (F2Z20) and qualified (F3Z41) sawmill and wood-assembly "
        "workers.",
        ["H2201", "H2202", "H2205"],
    ),
    "F2X30": (
        ["F4Z20", "F4Z41", "F5Z70"],
        "inferred",
        "FAP 2021 merges printing workers (F4Z20, F4Z41) with printing technicians and "
        "supervisors (part of F5Z70).",
        ["E1301", "E1302", "E1304", "E1306", "E1303", "E1308"],
    ),
    "G0A40": (["G0A40"], "exact", "Same code and scope in both nomenclatures.", None),
    "G0A41": (["G0A41"], "exact", "Same code and scope in both nomenclatures.", None),
    "G0A43": (["G0A43"], "exact", "Same code and scope in both nomenclatures.", None),
    "G0B40": (["G0B40"], "exact", "Car body repairers (PCS 216b, 634a).", None),
    "G0B41": (["G0B41"], "exact", "Vehicle mechanics (PCS 212a, 216a, 633c, 634c).", None),
    "G1X70": (
        ["G1Z70"],
        "inferred",
        "FAP 2009 had one maintenance-technician trade (G1Z70); its HSE and environment part "
        "(PCS 477d) is kept.",
        ["H1303", "A1204", "I1503"],
    ),
    "G1X71": (
        ["G1Z70"],
        "inferred",
        "Vehicle maintenance technicians were part of G1Z70; its vehicle ROME trades are kept.",
        ["I1603", "I1604", "I1607"],
    ),
    "G1X72": (
        ["G1Z70"],
        "inferred",
        "Mechanical and general maintenance technicians were part of G1Z70 (PCS 477b, 486d).",
        ["I1304", "I1310", "I1601", "I1602", "I1605"],
    ),
    "G1X74": (
        ["G1Z70"],
        "inferred",
        "Refrigeration and air-conditioning technicians were part of G1Z70 (PCS 477c).",
        ["I1306", "I1308"],
    ),
    "G1X75": (
        ["G1Z70"],
        "inferred",
        "Customer technical support and telecoms technicians were part of G1Z70.",
        ["H1101", "I1307"],
    ),
    "G1X76": (
        ["G0A42"],
        "exact",
        "Household appliance repairers (PCS 633b, 216c).",
        None,
    ),
    "G1X77": (
        ["G1Z70"],
        "inferred",
        "Electrical, electronic and automation maintenance technicians were part of G1Z70 "
        "(PCS 477b, 486a).",
        ["I1302", "I1305", "I1309", "H1208", "I1301"],
    ),
    "G1X78": (
        ["G1Z70"],
        "inferred",
        "Water and waste technicians were part of G1Z70 (PCS 477d).",
        ["K2301"],
    ),
    "H0X40": (
        ["D4Z40", "E1Z46"],
        "inferred",
        "FAP 2021 groups quality-control workers (in D4Z40, PCS 624e) with laboratory "
        "workers (E1Z46).",
        ["H1506", "H1503"],
    ),
    "H0X90": (
        ["C2Z70", "D6Z70", "E2Z70"],
        "inferred",
        "Quality-control technicians were spread over the technicians of each industry "
        "(PCS 473c, 474c, 475b).",
        ["H1504", "H1506", "H1503"],
    ),
    "H0X91": (
        ["C2Z71", "D6Z71"],
        "inferred",
        "FAP 2021 merges the draughtsmen of electricity (C2Z71) and of mechanics (D6Z71).",
        None,
    ),
    "H0X92": (
        ["J4Z80"],
        "inferred",
        "Planning and scheduling technicians were in the logistics technicians (J4Z80, "
        "PCS 477a); only industrial ROME trades are kept.",
        ["H1403"],
    ),
    "H1X90": (["H0Z90"], "exact", "Production engineers and managers.", None),
    "H1X91": (
        ["H0Z91"],
        "inferred",
        "HSE engineers were part of H0Z91 (PCS 387f).",
        ["H1302", "K2306"],
    ),
    "H1X92": (
        ["H0Z91"],
        "inferred",
        "Maintenance and customer-support engineers were part of H0Z91 (PCS 387e).",
        ["I1102", "H1101"],
    ),
    "H1X93": (
        ["H0Z92"],
        "exact",
        "Methods, industrialisation and quality engineers (PCS 387c, 387d).",
        None,
    ),
    "K0X30": (
        ["K0Z20", "K0Z40"],
        "inferred",
        "FAP 2021 merges unqualified (K0Z20) and qualified (K0Z40) craft workers; craft "
        "manufacturing ROME trades are kept.",
        ["B1302", "B1303", "B1401", "B1402", "B1501", "B1601", "B1603"],
    ),
    "K0X32": (
        ["F0Z20"],
        "inferred",
        "Industrial laundry workers: ROME K2201 is linked to textile workers (F0Z20) in DARES's "
        "table.",
        ["K2201"],
    ),
    "N0X70": (
        ["C2Z70", "E2Z70"],
        "inferred",
        "R&D technicians were part of each industry's technicians (PCS 473b, 474b, 475a).",
        ["H1209", "H1210"],
    ),
    "N1X90": (
        ["N0Z90"],
        "exact",
        "Industrial R&D engineers (PCS 383a, 384a, 385a, 386a).",
        ["H1206"],
    ),
}

# Trades counted as industrial although outside family I: the C (managers) and T
# (technicians) codes of the industrial FAP domains (C electricity … H industry-wide),
# plus industrial R&D.
INDUSTRIAL_DOMAINS = ("C", "D", "E", "F", "G", "H")
INDUSTRIAL_EXTRA = ("N0X70", "N1X90")

# Industrial BMO trades deliberately left without ROME trades, with the reason.
UNMAPPED: dict[str, str] = {}
