"""French NUTS 3 codes → (department, region), INSEE codes. Generated, do not edit by hand.

Sources (codes and NUTS labels copied, then matched by name to the INSEE departments of
``@etalab/decoupage-administratif`` 6.0.0 — COG 2026 — by ``tests/ingest/notices``'s check):

- NUTS 2016/2021 (FR1, FRB…FRM, FRY): OP-TED/eForms-SDK ``codelists/nuts.gc`` (NUTS 2021;
  French codes are identical in NUTS 2016), used by eForms and TED R2.0.9 notices from 2018.
- NUTS 2006/2010/2013 (FR1…FR8, FR9): Eurostat NUTS 2006 table as published in
  jkazemifard/gitted.geoserver.demo ``postgis/table.info_nuts2006.data.sql``; the
  metropolitan codes did not change until NUTS 2016, and BOAMP 2017 notices still use them
  (``FR825`` Var, ``FR612`` Gironde). The overseas codes FRA1x…FRA5x of NUTS 2010/2013 are
  not listed (no source at hand): their department comes from the postcode instead.

The two generations never share a code with different meanings (FR10x is Île-de-France in
both), so one table serves both. The label comment is the NUTS label of the source.
"""

NUTS3_FR: dict[str, tuple[str, str]] = {
    "FR101": ("75", "11"),  # Paris
    "FR102": ("77", "11"),  # Seine-et-Marne
    "FR103": ("78", "11"),  # Yvelines
    "FR104": ("91", "11"),  # Essonne
    "FR105": ("92", "11"),  # Hauts-de-Seine
    "FR106": ("93", "11"),  # Seine-Saint-Denis
    "FR107": ("94", "11"),  # Val-de-Marne
    "FR108": ("95", "11"),  # Val-d’Oise
    "FRB01": ("18", "24"),  # Cher
    "FRB02": ("28", "24"),  # Eure-et-Loir
    "FRB03": ("36", "24"),  # Indre
    "FRB04": ("37", "24"),  # Indre-et-Loire
    "FRB05": ("41", "24"),  # Loir-et-Cher
    "FRB06": ("45", "24"),  # Loiret
    "FRC11": ("21", "27"),  # Côte-d’Or
    "FRC12": ("58", "27"),  # Nièvre
    "FRC13": ("71", "27"),  # Saône-et-Loire
    "FRC14": ("89", "27"),  # Yonne
    "FRC21": ("25", "27"),  # Doubs
    "FRC22": ("39", "27"),  # Jura
    "FRC23": ("70", "27"),  # Haute-Saône
    "FRC24": ("90", "27"),  # Territoire de Belfort
    "FRD11": ("14", "28"),  # Calvados
    "FRD12": ("50", "28"),  # Manche
    "FRD13": ("61", "28"),  # Orne
    "FRD21": ("27", "28"),  # Eure
    "FRD22": ("76", "28"),  # Seine-Maritime
    "FRE11": ("59", "32"),  # Nord
    "FRE12": ("62", "32"),  # Pas-de-Calais
    "FRE21": ("02", "32"),  # Aisne
    "FRE22": ("60", "32"),  # Oise
    "FRE23": ("80", "32"),  # Somme
    "FRF11": ("67", "44"),  # Bas-Rhin
    "FRF12": ("68", "44"),  # Haut-Rhin
    "FRF21": ("08", "44"),  # Ardennes
    "FRF22": ("10", "44"),  # Aube
    "FRF23": ("51", "44"),  # Marne
    "FRF24": ("52", "44"),  # Haute-Marne
    "FRF31": ("54", "44"),  # Meurthe-et-Moselle
    "FRF32": ("55", "44"),  # Meuse
    "FRF33": ("57", "44"),  # Moselle
    "FRF34": ("88", "44"),  # Vosges
    "FRG01": ("44", "52"),  # Loire-Atlantique
    "FRG02": ("49", "52"),  # Maine-et-Loire
    "FRG03": ("53", "52"),  # Mayenne
    "FRG04": ("72", "52"),  # Sarthe
    "FRG05": ("85", "52"),  # Vendée
    "FRH01": ("22", "53"),  # Côtes-d’Armor
    "FRH02": ("29", "53"),  # Finistère
    "FRH03": ("35", "53"),  # Ille-et-Vilaine
    "FRH04": ("56", "53"),  # Morbihan
    "FRI11": ("24", "75"),  # Dordogne
    "FRI12": ("33", "75"),  # Gironde
    "FRI13": ("40", "75"),  # Landes
    "FRI14": ("47", "75"),  # Lot-et-Garonne
    "FRI15": ("64", "75"),  # Pyrénées-Atlantiques
    "FRI21": ("19", "75"),  # Corrèze
    "FRI22": ("23", "75"),  # Creuse
    "FRI23": ("87", "75"),  # Haute-Vienne
    "FRI31": ("16", "75"),  # Charente
    "FRI32": ("17", "75"),  # Charente-Maritime
    "FRI33": ("79", "75"),  # Deux-Sèvres
    "FRI34": ("86", "75"),  # Vienne
    "FRJ11": ("11", "76"),  # Aude
    "FRJ12": ("30", "76"),  # Gard
    "FRJ13": ("34", "76"),  # Hérault
    "FRJ14": ("48", "76"),  # Lozère
    "FRJ15": ("66", "76"),  # Pyrénées-Orientales
    "FRJ21": ("09", "76"),  # Ariège
    "FRJ22": ("12", "76"),  # Aveyron
    "FRJ23": ("31", "76"),  # Haute-Garonne
    "FRJ24": ("32", "76"),  # Gers
    "FRJ25": ("46", "76"),  # Lot
    "FRJ26": ("65", "76"),  # Hautes-Pyrénées
    "FRJ27": ("81", "76"),  # Tarn
    "FRJ28": ("82", "76"),  # Tarn-et-Garonne
    "FRK11": ("03", "84"),  # Allier
    "FRK12": ("15", "84"),  # Cantal
    "FRK13": ("43", "84"),  # Haute-Loire
    "FRK14": ("63", "84"),  # Puy-de-Dôme
    "FRK21": ("01", "84"),  # Ain
    "FRK22": ("07", "84"),  # Ardèche
    "FRK23": ("26", "84"),  # Drôme
    "FRK24": ("38", "84"),  # Isère
    "FRK25": ("42", "84"),  # Loire
    "FRK26": ("69", "84"),  # Rhône
    "FRK27": ("73", "84"),  # Savoie
    "FRK28": ("74", "84"),  # Haute-Savoie
    "FRL01": ("04", "93"),  # Alpes-de-Haute-Provence
    "FRL02": ("05", "93"),  # Hautes-Alpes
    "FRL03": ("06", "93"),  # Alpes-Maritimes
    "FRL04": ("13", "93"),  # Bouches-du-Rhône
    "FRL05": ("83", "93"),  # Var
    "FRL06": ("84", "93"),  # Vaucluse
    "FRM01": ("2A", "94"),  # Corse-du-Sud
    "FRM02": ("2B", "94"),  # Haute-Corse
    "FRY10": ("971", "01"),  # Guadeloupe
    "FRY20": ("972", "02"),  # Martinique
    "FRY30": ("973", "03"),  # Guyane
    "FRY40": ("974", "04"),  # La Réunion
    "FRY50": ("976", "06"),  # Mayotte
    "FR211": ("08", "44"),  # Ardennes
    "FR212": ("10", "44"),  # Aube
    "FR213": ("51", "44"),  # Marne
    "FR214": ("52", "44"),  # Haute-Marne
    "FR221": ("02", "32"),  # Aisne
    "FR222": ("60", "32"),  # Oise
    "FR223": ("80", "32"),  # Somme
    "FR231": ("27", "28"),  # Eure
    "FR232": ("76", "28"),  # Seine-Maritime
    "FR241": ("18", "24"),  # Cher
    "FR242": ("28", "24"),  # Eure-et-Loir
    "FR243": ("36", "24"),  # Indre
    "FR244": ("37", "24"),  # Indre-et-Loire
    "FR245": ("41", "24"),  # Loir-et-Cher
    "FR246": ("45", "24"),  # Loiret
    "FR251": ("14", "28"),  # Calvados
    "FR252": ("50", "28"),  # Manche
    "FR253": ("61", "28"),  # Orne
    "FR261": ("21", "27"),  # Côte-d'Or
    "FR262": ("58", "27"),  # Nièvre
    "FR263": ("71", "27"),  # Saône-et-Loire
    "FR264": ("89", "27"),  # Yonne
    "FR301": ("59", "32"),  # Nord
    "FR302": ("62", "32"),  # Pas-de-Calais
    "FR411": ("54", "44"),  # Meurthe-et-Moselle
    "FR412": ("55", "44"),  # Meuse
    "FR413": ("57", "44"),  # Moselle
    "FR414": ("88", "44"),  # Vosges
    "FR421": ("67", "44"),  # Bas-Rhin
    "FR422": ("68", "44"),  # Haut-Rhin
    "FR431": ("25", "27"),  # Doubs
    "FR432": ("39", "27"),  # Jura
    "FR433": ("70", "27"),  # Haute-Saône
    "FR434": ("90", "27"),  # Territoire de Belfort
    "FR511": ("44", "52"),  # Loire-Atlantique
    "FR512": ("49", "52"),  # Maine-et-Loire
    "FR513": ("53", "52"),  # Mayenne
    "FR514": ("72", "52"),  # Sarthe
    "FR515": ("85", "52"),  # Vendée
    "FR521": ("22", "53"),  # Côte-du-Nord
    "FR522": ("29", "53"),  # Finistère
    "FR523": ("35", "53"),  # Ille-et-Vilaine
    "FR524": ("56", "53"),  # Morbihan
    "FR531": ("16", "75"),  # Charente
    "FR532": ("17", "75"),  # Charente-Maritime
    "FR533": ("79", "75"),  # Deux-Sèvres
    "FR534": ("86", "75"),  # Vienne
    "FR611": ("24", "75"),  # Dordogne
    "FR612": ("33", "75"),  # Gironde
    "FR613": ("40", "75"),  # Landes
    "FR614": ("47", "75"),  # Lot-et-Garonne
    "FR615": ("64", "75"),  # Pyrénées-Atlantiques
    "FR621": ("09", "76"),  # Ariège
    "FR622": ("12", "76"),  # Aveyron
    "FR623": ("31", "76"),  # Haute-Garonne
    "FR624": ("32", "76"),  # Gers
    "FR625": ("46", "76"),  # Lot
    "FR626": ("65", "76"),  # Hautes-Pyrénées
    "FR627": ("81", "76"),  # Tarn
    "FR628": ("82", "76"),  # Tarn-et-Garonne
    "FR631": ("19", "75"),  # Corrèze
    "FR632": ("23", "75"),  # Creuse
    "FR633": ("87", "75"),  # Haute-Vienne
    "FR711": ("01", "84"),  # Ain
    "FR712": ("07", "84"),  # Ardèche
    "FR713": ("26", "84"),  # Drôme
    "FR714": ("38", "84"),  # Isère
    "FR715": ("42", "84"),  # Loire
    "FR716": ("69", "84"),  # Rhône
    "FR717": ("73", "84"),  # Savoie
    "FR718": ("74", "84"),  # Haute-Savoie
    "FR721": ("03", "84"),  # Allier
    "FR722": ("15", "84"),  # Cantal
    "FR723": ("43", "84"),  # Haute-Loire
    "FR724": ("63", "84"),  # Puy-de-Dôme
    "FR811": ("11", "76"),  # Aude
    "FR812": ("30", "76"),  # Gard
    "FR813": ("34", "76"),  # Hérault
    "FR814": ("48", "76"),  # Lozère
    "FR815": ("66", "76"),  # Pyrénées-Orientales
    "FR821": ("04", "93"),  # Alpes-de-Haute-Provence
    "FR822": ("05", "93"),  # Hautes-Alpes
    "FR823": ("06", "93"),  # Alpes-Maritimes
    "FR824": ("13", "93"),  # Bouches-du-Rhône
    "FR825": ("83", "93"),  # Var
    "FR826": ("84", "93"),  # Vaucluse
    "FR831": ("2A", "94"),  # Corse-du-Sud
    "FR832": ("2B", "94"),  # Haute-Corse
    "FR910": ("971", "01"),  # Guadeloupe (FR)
    "FR920": ("972", "02"),  # Martinique (FR)
    "FR930": ("973", "03"),  # Guyane (FR)
    "FR940": ("974", "04"),  # Reunion (FR)
}
