"""Word lists for demo venues in each country's style: people, streets, postcode areas, phones.

Plain data, no logic. Names are common ones in each country; street names are
the everyday kind found in most towns there. Postcode prefixes are the real
areas of the bigger cities; smaller towns borrow the prefix of the nearest
listed city (see locale.postcode_prefix).
"""

from __future__ import annotations

FIRST_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # (women, men)
    "GB": (
        ("Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Chloe", "Jessica", "Hannah", "Priya", "Aisha",
         "Charlotte", "Lucy", "Megan", "Holly", "Zara", "Ellie", "Niamh", "Rebecca"),
        ("Oliver", "George", "Harry", "Jack", "James", "Tom", "Daniel", "Samuel", "Arjun", "Omar", "Callum", "Ryan",
         "Ben", "Luke", "Adam", "Kieran", "Joseph", "Matthew"),
    ),
    "IE": (
        ("Aoife", "Saoirse", "Niamh", "Ciara", "Sinéad", "Orla", "Emma", "Róisín", "Caoimhe", "Áine", "Grace", "Sarah",
         "Clodagh", "Deirdre"),
        ("Conor", "Seán", "Cian", "Darragh", "Oisín", "Patrick", "Liam", "Eoin", "Cathal", "Fionn", "Ronan", "Declan"),
    ),
    "NL": (
        ("Emma", "Julia", "Sophie", "Lotte", "Anouk", "Fleur", "Sanne", "Iris", "Eva", "Femke", "Lisa", "Noor", "Yara",
         "Marloes"),
        ("Daan", "Sem", "Lucas", "Bram", "Jesse", "Thijs", "Ruben", "Niels", "Joris", "Stijn", "Mohamed", "Koen"),
    ),
    "BE": (
        ("Emma", "Louise", "Marie", "Elise", "Lotte", "Camille", "Julie", "Charlotte", "Sarah", "Amélie", "Lien",
         "Inès"),
        ("Lucas", "Arthur", "Louis", "Noah", "Wout", "Thomas", "Maxime", "Jonas", "Pieter", "Mathis", "Arne", "Julien"),
    ),
    "DE": (
        ("Anna", "Lea", "Lena", "Hannah", "Sophie", "Marie", "Laura", "Julia", "Katharina", "Sabine", "Petra", "Miriam",
         "Selin", "Franziska"),
        ("Lukas", "Jonas", "Felix", "Maximilian", "Paul", "Leon", "Tobias", "Stefan", "Florian", "Michael", "Emre",
         "Matthias"),
    ),
    "FR": (
        ("Camille", "Léa", "Manon", "Chloé", "Inès", "Julie", "Sarah", "Émilie", "Claire", "Amandine", "Mélanie",
         "Yasmine", "Margaux", "Pauline"),
        ("Lucas", "Hugo", "Louis", "Thomas", "Nicolas", "Julien", "Maxime", "Antoine", "Mehdi", "Romain", "Clément",
         "Théo"),
    ),
    "ES": (
        ("Lucía", "María", "Paula", "Carmen", "Laura", "Marta", "Elena", "Sara", "Alba", "Nerea", "Irene", "Cristina",
         "Ainhoa", "Noelia"),
        ("Hugo", "Pablo", "Javier", "Alejandro", "Daniel", "Adrián", "Sergio", "Álvaro", "Carlos", "Iker", "Jorge",
         "Raúl"),
    ),
    "IT": (
        ("Giulia", "Sofia", "Martina", "Chiara", "Francesca", "Alessia", "Sara", "Elena", "Valentina", "Federica",
         "Beatrice", "Ilaria", "Giorgia", "Silvia"),
        ("Lorenzo", "Matteo", "Alessandro", "Francesco", "Andrea", "Luca", "Marco", "Davide", "Giuseppe", "Simone",
         "Riccardo", "Stefano"),
    ),
    "PT": (
        ("Maria", "Beatriz", "Inês", "Ana", "Mariana", "Carolina", "Leonor", "Joana", "Catarina", "Rita", "Sofia",
         "Margarida"),
        ("João", "Rodrigo", "Tiago", "Francisco", "Miguel", "Pedro", "Diogo", "Rui", "Gonçalo", "Bruno", "André",
         "Nuno"),
    ),
}

SURNAMES: dict[str, tuple[str, ...]] = {
    "GB": ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Patel", "Khan", "Walker", "Wright",
           "Thompson", "Hughes", "Edwards", "Clarke", "Roberts", "Green", "Hall", "Wood", "Ahmed", "Campbell",
           "Murray"),
    "IE": ("Murphy", "Kelly", "O'Sullivan", "Walsh", "Byrne", "Ryan", "O'Brien", "Doyle", "McCarthy", "Gallagher",
           "Kennedy", "Lynch", "Quinn", "Brennan", "Fitzgerald", "Nolan"),
    "NL": ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer",
           "Bos", "Vos", "Peters", "Hendriks", "Dekker", "van Dijk"),
    "BE": ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Dubois", "Lambert",
           "Dupont", "Martin", "Wouters", "De Smet", "Leclercq", "Hermans"),
    "DE": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
           "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Yılmaz", "Braun"),
    "FR": ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
           "Laurent", "Lefèvre", "Michel", "Garcia", "Fontaine", "Rousseau", "Benali"),
    "ES": ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín",
           "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Navarro", "Torres", "Romero"),
    "IT": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
           "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Giordano", "Mancini", "Lombardi"),
    "PT": ("Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Fernandes",
           "Gonçalves", "Gomes", "Lopes", "Marques", "Almeida", "Ribeiro"),
}

# Doctor's title as written in each country.
DOCTOR: dict[str, tuple[str, str]] = {  # (for a woman, for a man)
    "GB": ("Dr", "Dr"), "IE": ("Dr", "Dr"), "NL": ("Dr.", "Dr."), "BE": ("Dr", "Dr"), "DE": ("Dr.", "Dr."),
    "FR": ("Dr", "Dr"), "ES": ("Dra.", "Dr."), "IT": ("Dott.ssa", "Dott."), "PT": ("Dra.", "Dr."),
}

STREETS: dict[str, tuple[str, ...]] = {
    "GB": ("High Street", "Church Road", "Station Road", "Victoria Road", "Park Road", "London Road", "Green Lane",
           "Queen Street", "King Street", "Market Street", "Mill Lane", "The Parade", "Albert Road", "Manor Road",
           "Bridge Street", "North Street", "Broadway", "Castle Street", "George Street", "Chapel Street",
           "Kingsway", "Princes Street", "Westgate", "Duke Street"),
    "GB-London": ("Upper Street", "Marylebone High Street", "King's Road", "Portobello Road", "Clapham High Street",
                  "Northcote Road", "Camden High Street", "Wimpole Street", "Harley Street", "Brick Lane",
                  "Kensington High Street", "Fulham Road", "Lordship Lane", "Stoke Newington Church Street",
                  "Battersea Park Road", "Essex Road", "Mare Street", "Old Compton Street", "Westbourne Grove",
                  "Brixton Road", "Lower Marsh", "Chiswick High Road", "Broadway Market", "Hampstead High Street"),
    "IE": ("Main Street", "O'Connell Street", "Patrick Street", "Church Street", "Bridge Street", "Castle Street",
           "Abbey Street", "Market Square", "Mill Street", "John Street", "Parnell Street", "William Street",
           "Shop Street", "Dame Street", "Grafton Street", "South Great George's Street", "Oliver Plunkett Street"),
    "NL": ("Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsstraat", "Hoofdstraat", "Marktstraat", "Nieuwstraat",
           "Julianastraat", "Wilhelminastraat", "Beatrixlaan", "Schoolstraat", "Lange Nieuwstraat", "Voorstraat",
           "Molenstraat", "Parkweg", "Emmastraat", "Oranjestraat", "Kanaalweg", "Grote Markt", "Korte Poten"),
    "BE-nl": ("Kerkstraat", "Stationsstraat", "Dorpstraat", "Molenstraat", "Nieuwstraat", "Veldstraat", "Kapelstraat",
              "Schoolstraat", "Grote Markt", "Brugsesteenweg", "Gentsesteenweg", "Koning Albertstraat",
              "Lange Kievitstraat", "Mechelsesteenweg", "Zuidstraat", "Hoogstraat"),
    "BE-fr": ("Rue de la Station", "Rue de l'Église", "Chaussée de Charleroi", "Avenue Louise", "Rue Haute",
              "Rue du Marché", "Rue Neuve", "Place du Marché", "Rue des Écoles", "Rue de Namur", "Rue du Midi",
              "Chaussée d'Ixelles", "Rue Saint-Gilles", "Avenue de la Toison d'Or", "Rue de Fer", "Rue Royale"),
    "DE": ("Hauptstraße", "Bahnhofstraße", "Schulstraße", "Gartenstraße", "Dorfstraße", "Lindenstraße", "Bergstraße",
           "Kirchstraße", "Goethestraße", "Schillerstraße", "Marktplatz", "Friedrichstraße", "Kaiserstraße",
           "Königstraße", "Mozartstraße", "Poststraße", "Rosenstraße", "Wilhelmstraße", "Am Markt", "Ringstraße",
           "Kastanienallee", "Schlossstraße"),
    "FR": ("rue de la République", "rue Victor Hugo", "avenue Jean Jaurès", "rue de la Paix", "boulevard Gambetta",
           "rue du Général de Gaulle", "place de la Mairie", "rue Pasteur", "avenue de la Gare", "rue Nationale",
           "rue du Commerce", "rue des Écoles", "boulevard Voltaire", "rue Jean Moulin", "avenue Foch",
           "rue Émile Zola", "rue de l'Église", "rue Saint-Honoré", "rue des Martyrs", "rue Oberkampf"),
    "ES": ("Calle Mayor", "Calle Real", "Avenida de la Constitución", "Gran Vía", "Calle San Francisco",
           "Plaza de España", "Calle del Carmen", "Avenida de Andalucía", "Calle Nueva", "Calle de la Iglesia",
           "Calle Sol", "Calle Colón", "Avenida del Puerto", "Calle de Alcalá", "Paseo del Prado", "Calle Larios",
           "Calle Sierpes", "Avenida de América"),
    "ES-ca": ("Carrer Major", "Carrer de Balmes", "Passeig de Gràcia", "Rambla de Catalunya", "Carrer de Muntaner",
              "Carrer del Consell de Cent", "Carrer de Provença", "Carrer Gran de Gràcia", "Carrer de Sants",
              "Carrer de Verdi", "Rambla del Poblenou", "Carrer de Sant Pere"),
    "IT": ("Via Roma", "Corso Italia", "Via Garibaldi", "Via Mazzini", "Via Cavour", "Corso Vittorio Emanuele II",
           "Via Dante", "Piazza del Duomo", "Via Verdi", "Via XX Settembre", "Via Nazionale", "Via della Repubblica",
           "Via Marconi", "Viale dei Mille", "Via San Francesco", "Via Manzoni", "Via Matteotti", "Corso Buenos Aires",
           "Via Toledo", "Via del Corso"),
    "PT": ("Rua Augusta", "Avenida da Liberdade", "Rua de Santa Catarina", "Rua do Comércio", "Rua Direita",
           "Avenida da República", "Rua Miguel Bombarda", "Rua Cândido dos Reis", "Rua de Cedofeita",
           "Praça da República", "Rua 25 de Abril", "Rua da Liberdade", "Avenida dos Aliados", "Rua Central",
           "Rua Garrett", "Rua do Carmo"),
}

# Postcode prefixes of the bigger cities (GB: postcode area; IE: Eircode routing key;
# NL/DE/FR/ES/PT: leading digits; BE: first two digits; IT: first three digits).
POSTCODE_PREFIX: dict[str, dict[str, str]] = {
    "GB": {
        "Birmingham": "B", "Manchester": "M", "Liverpool": "L", "Leeds": "LS", "Sheffield": "S", "Bristol": "BS",
        "Glasgow": "G", "Edinburgh": "EH", "Cardiff": "CF", "Belfast": "BT", "Newcastle upon Tyne": "NE",
        "Nottingham": "NG", "Leicester": "LE", "Coventry": "CV", "Bradford": "BD", "Southampton": "SO",
        "Portsmouth": "PO", "Brighton": "BN", "Plymouth": "PL", "Reading": "RG", "Oxford": "OX", "Cambridge": "CB",
        "York": "YO", "Aberdeen": "AB", "Dundee": "DD", "Swansea": "SA", "Norwich": "NR", "Derby": "DE",
        "Stoke-on-Trent": "ST", "Wolverhampton": "WV", "Kingston upon Hull": "HU", "Bath": "BA", "Exeter": "EX",
        "Milton Keynes": "MK", "Luton": "LU", "Northampton": "NN", "Preston": "PR", "Bolton": "BL",
        "Sunderland": "SR", "Middlesbrough": "TS", "Ipswich": "IP", "Peterborough": "PE", "Blackpool": "FY",
        "Stockport": "SK", "Oldham": "OL", "Warrington": "WA", "Huddersfield": "HD", "Swindon": "SN",
        "Gloucester": "GL", "Chester": "CH", "Lincoln": "LN", "Canterbury": "CT", "Colchester": "CO",
        "Chelmsford": "CM", "Slough": "SL", "Guildford": "GU", "Watford": "WD", "Bournemouth": "BH",
        "Worcester": "WR", "Carlisle": "CA", "Inverness": "IV", "Stirling": "FK", "Southend-on-Sea": "SS",
        "Birkenhead": "CH", "Wakefield": "WF", "Dudley": "DY", "Telford": "TF", "Crawley": "RH",
        "Maidstone": "ME", "Tunbridge Wells": "TN", "Hereford": "HR", "Shrewsbury": "SY", "Doncaster": "DN",
        "Halifax": "HX", "Wigan": "WN", "Blackburn": "BB", "Lancaster": "LA", "Darlington": "DL",
        "Harrogate": "HG", "Paisley": "PA", "Kilmarnock": "KA", "Motherwell": "ML", "Kirkcaldy": "KY",
        "Newport": "NP", "Llandudno": "LL", "Londonderry": "BT", "Torquay": "TQ", "Truro": "TR", "Taunton": "TA",
        "Salisbury": "SP", "Dorchester": "DT", "St Albans": "AL", "Hemel Hempstead": "HP", "Stevenage": "SG",
        "Kingston upon Thames": "KT", "Croydon": "CR", "Sutton": "SM", "Bromley": "BR", "Dartford": "DA",
        "Romford": "RM", "Ilford": "IG", "Enfield": "EN", "Harrow": "HA", "Twickenham": "TW", "Uxbridge": "UB",
    },
    "IE": {
        "Cork": "T12", "Limerick": "V94", "Galway": "H91", "Waterford": "X91", "Drogheda": "A92", "Dundalk": "A91",
        "Swords": "K67", "Navan": "C15", "Bray": "A98", "Ennis": "V95", "Carlow": "R93", "Tralee": "V92",
        "Portlaoise": "R32", "Athlone": "N37", "Newbridge": "W12", "Mullingar": "N91", "Letterkenny": "F92",
        "Greystones": "A63", "Balbriggan": "K32", "Kilkenny": "R95", "Wexford": "Y35", "Naas": "W91", "Sligo": "F91",
        "Celbridge": "W23", "Clonmel": "E91", "Ballincollig": "P31", "Carrigaline": "P43", "Maynooth": "W23",
        "Tullamore": "R35", "Leixlip": "W23", "Malahide": "K36", "Lucan": "K78", "Castlebar": "F23",
    },
    "NL": {
        "Amsterdam": "10", "Rotterdam": "30", "The Hague": "25", "Utrecht": "35", "Eindhoven": "56", "Groningen": "97",
        "Tilburg": "50", "Almere": "13", "Breda": "48", "Nijmegen": "65", "Apeldoorn": "73", "Haarlem": "20",
        "Arnhem": "68", "Enschede": "75", "Amersfoort": "38", "Zaanstad": "15", "Maastricht": "62", "Leiden": "23",
        "Dordrecht": "33", "Zwolle": "80", "Leeuwarden": "89", "'s-Hertogenbosch": "52", "Zoetermeer": "27",
        "Venlo": "59", "Deventer": "74", "Delft": "26", "Alkmaar": "18", "Heerlen": "64", "Hilversum": "12",
        "Hoofddorp": "21", "Lelystad": "82", "Gouda": "28", "Middelburg": "43", "Assen": "94", "Den Helder": "17",
    },
    "BE": {
        "Brussels": "10", "Antwerp": "20", "Gent": "90", "Charleroi": "60", "Liège": "40", "Brugge": "80",
        "Namur": "50", "Leuven": "30", "Mons": "70", "Mechelen": "28", "Aalst": "93", "Hasselt": "35",
        "Kortrijk": "85", "Ostend": "84", "Sint-Niklaas": "91", "Genk": "36", "Tournai": "75", "La Louvière": "71",
        "Seraing": "41", "Roeselare": "88", "Verviers": "48", "Mouscron": "77", "Turnhout": "23", "Arlon": "67",
        "Wavre": "13", "Dendermonde": "92", "Lokeren": "91", "Beringen": "35",
    },
    "DE": {
        "Berlin": "10", "Hamburg": "20", "Munich": "80", "Köln": "50", "Frankfurt am Main": "60", "Düsseldorf": "40",
        "Stuttgart": "70", "Essen": "45", "Dortmund": "44", "Dresden": "01", "Bremen": "28", "Nuremberg": "90",
        "Hannover": "30", "Leipzig": "04", "Duisburg": "47", "Bochum": "44", "Wuppertal": "42", "Bielefeld": "33",
        "Bonn": "53", "Münster": "48", "Mannheim": "68", "Augsburg": "86", "Wiesbaden": "65", "Karlsruhe": "76",
        "Gelsenkirchen": "45", "Aachen": "52", "Mönchengladbach": "41", "Kiel": "24", "Chemnitz": "09",
        "Braunschweig": "38", "Magdeburg": "39", "Krefeld": "47", "Halle (Saale)": "06", "Freiburg": "79",
        "Mainz": "55", "Oberhausen": "46", "Erfurt": "99", "Lübeck": "23", "Rostock": "18", "Kassel": "34",
        "Potsdam": "14", "Saarbrücken": "66", "Regensburg": "93", "Heidelberg": "69", "Ulm": "89",
        "Würzburg": "97", "Osnabrück": "49", "Oldenburg": "26", "Göttingen": "37", "Trier": "54", "Jena": "07",
        "Ingolstadt": "85", "Koblenz": "56", "Darmstadt": "64", "Paderborn": "33", "Siegen": "57",
        "Flensburg": "24", "Schwerin": "19", "Cottbus": "03", "Konstanz": "78", "Passau": "94", "Bamberg": "96",
        "Kempten (Allgäu)": "87", "Fulda": "36", "Hildesheim": "31", "Pforzheim": "75", "Reutlingen": "72",
    },
    "FR": {
        "Paris": "75", "Marseille": "13", "Lyon": "69", "Toulouse": "31", "Nice": "06", "Nantes": "44",
        "Strasbourg": "67", "Montpellier": "34", "Bordeaux": "33", "Lille": "59", "Rennes": "35", "Reims": "51",
        "Le Havre": "76", "Saint-Étienne": "42", "Toulon": "83", "Grenoble": "38", "Dijon": "21", "Angers": "49",
        "Nîmes": "30", "Clermont-Ferrand": "63", "Le Mans": "72", "Aix-en-Provence": "13", "Brest": "29",
        "Tours": "37", "Amiens": "80", "Limoges": "87", "Perpignan": "66", "Metz": "57", "Besançon": "25",
        "Orléans": "45", "Rouen": "76", "Caen": "14", "Nancy": "54", "Mulhouse": "68", "Avignon": "84",
        "Poitiers": "86", "La Rochelle": "17", "Pau": "64", "Bayonne": "64", "Annecy": "74", "Ajaccio": "20",
        "Bastia": "20", "Cergy-Pontoise": "95", "Marne La Vallée": "77", "Saint-Quentin-en-Yvelines": "78",
        "Versailles": "78", "Créteil": "94", "Nanterre": "92", "Saint-Denis": "93", "Évry": "91", "Calais": "62",
        "Troyes": "10", "Valence": "26", "Chambéry": "73", "Lorient": "56", "Quimper": "29", "Vannes": "56",
        "Béziers": "34", "Niort": "79", "Colmar": "68", "Cannes": "06", "Antibes": "06", "Dunkerque": "59",
    },
    "ES": {
        "Madrid": "28", "Barcelona": "08", "Valencia": "46", "Zaragoza": "50", "Sevilla": "41", "Málaga": "29",
        "Murcia": "30", "Palma": "07", "Las Palmas de Gran Canaria": "35", "Alicante": "03", "Bilbao": "48",
        "Córdoba": "14", "Valladolid": "47", "Vigo": "36", "Gijón": "33", "Vitoria-Gasteiz": "01",
        "L'Hospitalet de Llobregat": "08", "A Coruña": "15", "Elche": "03", "Granada": "18", "Oviedo": "33",
        "Terrassa": "08", "Badalona": "08", "Cartagena": "30", "Jerez de la Frontera": "11", "Sabadell": "08",
        "Santa Cruz de Tenerife": "38", "Pamplona": "31", "Móstoles": "28", "Almería": "04",
        "Alcalá de Henares": "28", "San Sebastián": "20", "Burgos": "09", "Santander": "39",
        "Castellón de la Plana": "12", "Albacete": "02", "Salamanca": "37", "Logroño": "26", "Huelva": "21",
        "Cádiz": "11", "León": "24", "Tarragona": "43", "Lleida": "25", "Girona": "17", "Ceuta": "51",
        "Melilla": "52", "Badajoz": "06", "Cáceres": "10", "Toledo": "45", "Jaén": "23", "Lugo": "27",
        "Ourense": "32", "Pontevedra": "36", "Huesca": "22", "Teruel": "44", "Soria": "42", "Segovia": "40",
        "Ávila": "05", "Zamora": "49", "Palencia": "34", "Cuenca": "16", "Guadalajara": "19", "Ciudad Real": "13",
        "Marbella": "29", "Ibiza": "07",
    },
    "IT": {
        "Rome": "001", "Milan": "201", "Naples": "801", "Turin": "101", "Palermo": "901", "Genoa": "161",
        "Bologna": "401", "Florence": "501", "Bari": "701", "Catania": "951", "Verona": "371", "Messina": "981",
        "Trieste": "341", "Padua": "351", "Brescia": "251", "Taranto": "741", "Parma": "431", "Prato": "591",
        "Modena": "411", "Reggio Calabria": "891", "Reggio nell'Emilia": "421", "Livorno": "571", "Cagliari": "091",
        "Rimini": "479", "Mestre": "301", "Venice": "301", "Foggia": "711", "Ferrara": "441", "Salerno": "841",
        "Monza": "209", "Siracusa": "961", "Bergamo": "241", "Trento": "381", "Perugia": "061", "Pescara": "651",
        "Forlì": "471", "Vicenza": "361", "Terni": "051", "Pisa": "561", "Bolzano": "391", "Novara": "281",
        "Ancona": "601", "Lecce": "731", "Udine": "331", "Sassari": "071", "Latina": "040", "Como": "221",
        "Varese": "211", "Arezzo": "521", "La Spezia": "191", "Pavia": "271", "Cremona": "261", "Lucca": "551",
        "Treviso": "311", "Piacenza": "291", "Catanzaro": "881", "Cosenza": "871", "Potenza": "851",
        "Campobasso": "861", "L'Aquila": "671", "Aosta": "111", "Caserta": "811", "Brindisi": "721",
    },
    "PT": {
        "Lisbon": "1", "Porto": "4", "Braga": "47", "Amadora": "27", "Coimbra": "30", "Leiria": "24", "Setúbal": "29",
        "Funchal": "90", "Viseu": "35", "Queluz": "27", "Aveiro": "38", "Vila Nova de Gaia": "44", "Faro": "80",
        "Loures": "26", "Odivelas": "26", "Évora": "70", "Barreiro": "28", "Guimarães": "48", "Guarda": "63",
        "Portimão": "85", "Cascais": "27", "Maia": "44", "Viana do Castelo": "49", "Almada": "28", "Sintra": "27",
        "Matosinhos": "44", "Ponta Delgada": "95", "Angra do Heroísmo": "97", "Figueira da Foz": "30",
        "Santarém": "20", "Castelo Branco": "60", "Beja": "78", "Bragança": "53", "Vila Real": "50",
        "Portalegre": "73", "Covilhã": "62", "Felgueiras": "46", "Ponte de Lima": "49", "Sesimbra": "29",
    },
}

# Each London street of STREETS["GB-London"] with the postcode district it lies in: an address and its postcode
# belong together ("120 Brick Lane", E1, not SW19).
LONDON_STREET_DISTRICTS: dict[str, tuple[str, ...]] = {
    "Upper Street": ("N1",), "Marylebone High Street": ("W1U",), "King's Road": ("SW3", "SW10"),
    "Portobello Road": ("W11", "W10"), "Clapham High Street": ("SW4",), "Northcote Road": ("SW11",),
    "Camden High Street": ("NW1",), "Wimpole Street": ("W1G",), "Harley Street": ("W1G",), "Brick Lane": ("E1", "E2"),
    "Kensington High Street": ("W8", "W14"), "Fulham Road": ("SW6", "SW10", "SW3"), "Lordship Lane": ("SE22",),
    "Stoke Newington Church Street": ("N16",), "Battersea Park Road": ("SW11", "SW8"), "Essex Road": ("N1",),
    "Mare Street": ("E8",), "Old Compton Street": ("W1D",), "Westbourne Grove": ("W2", "W11"),
    "Brixton Road": ("SW9",), "Lower Marsh": ("SE1",), "Chiswick High Road": ("W4",), "Broadway Market": ("E8",),
    "Hampstead High Street": ("NW3",),
}
LONDON_DISTRICTS = ("EC1V", "EC2A", "WC1X", "WC2H", "N1", "N7", "N16", "NW1", "NW3", "NW6", "SE1", "SE15", "SE22",
                    "SW1V", "SW3", "SW4", "SW11", "SW19", "W1G", "W2", "W4", "W11", "E1", "E2", "E8", "E14", "E17")

# (country calling code, landline prefix of the biggest cities, mobile prefixes)
PHONES: dict[str, tuple[str, dict[str, str], tuple[str, ...]]] = {
    # GB uses Ofcom's ranges kept for drama, so no real line is ever shown.
    "GB": ("+44", {"London": "20 7946 0", "Birmingham": "121 496 0", "Manchester": "161 496 0",
                   "Leeds": "113 496 0", "Sheffield": "114 496 0", "Bristol": "117 496 0",
                   "Glasgow": "141 496 0", "Edinburgh": "131 496 0"}, ("7700 900",)),
    "IE": ("+353", {"Dublin": "1", "Cork": "21", "Galway": "91", "Limerick": "61"}, ("83", "85", "86", "87")),
    "NL": ("+31", {"Amsterdam": "20", "Rotterdam": "10", "The Hague": "70", "Utrecht": "30"}, ("6",)),
    "BE": ("+32", {"Brussels": "2", "Antwerp": "3", "Gent": "9", "Liège": "4"}, ("470", "475", "486", "495")),
    "DE": ("+49", {"Berlin": "30", "Hamburg": "40", "Munich": "89", "Köln": "221", "Frankfurt am Main": "69"},
           ("151", "160", "170", "176")),
    "FR": ("+33", {"Paris": "1", "Lyon": "4", "Marseille": "4", "Toulouse": "5", "Bordeaux": "5", "Lille": "3"},
           ("6", "7")),
    "ES": ("+34", {"Madrid": "91", "Barcelona": "93", "Valencia": "96", "Sevilla": "95"}, ("6",)),
    "IT": ("+39", {"Rome": "06", "Milan": "02", "Naples": "081", "Turin": "011"}, ("333", "340", "347", "320")),
    "PT": ("+351", {"Lisbon": "21", "Porto": "22"}, ("91", "93", "96")),
}

# Pleasant words for names like "The Willow Salon", in each language.
WORDS: dict[str, tuple[str, ...]] = {
    "en": ("Velvet", "Willow", "Mint", "Ivy", "Copper", "Honey", "Blossom", "Silk", "Marble", "Juniper", "Fern",
           "Coral", "Orchid", "Bloom", "Gloss", "Pearl", "Sage", "Linen", "Amber", "Lotus"),
    "nl": ("Zilver", "Linde", "Roos", "Parel", "Lente", "Zon", "Duin", "Bloesem", "Amber", "Jade", "Lotus", "Goud"),
    "de": ("Lotus", "Linde", "Perle", "Sonne", "Silber", "Rose", "Anmut", "Jade", "Lavendel", "Nordlicht", "Seide"),
    "fr": ("Lumière", "Éclat", "Rose", "Jasmin", "Perle", "Lavande", "Soleil", "Azur", "Velours", "Iris", "Lotus"),
    "es": ("Luna", "Sol", "Jazmín", "Azahar", "Perla", "Brisa", "Olivo", "Alba", "Coral", "Lavanda", "Lotus"),
    "it": ("Luna", "Sole", "Perla", "Giglio", "Rosa", "Aurora", "Ulivo", "Ambra", "Stella", "Zefiro", "Lotus"),
    "pt": ("Lua", "Sol", "Pérola", "Jasmim", "Aurora", "Brisa", "Oliveira", "Lírio", "Âmbar", "Coral", "Lotus"),
}

# Venue name patterns by language and kind. {first} {last} {city} {word} {dr} fill in.
VENUE_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "salon": ("{last} Hair", "{first}'s Hair Studio", "The {word} Salon", "{word} Hair & Beauty", "Studio {first}",
                  "{city} Hair Rooms", "The Beauty Room", "{word} Beauty Lounge", "{first} {last} Hairdressing"),
        "clinic": ("{city} Aesthetics Clinic", "{dr} {last} Aesthetics", "The {word} Skin Clinic",
                   "{word} Medical Aesthetics", "{city} Skin & Laser Clinic", "The {last} Clinic"),
        "spa": ("{word} Day Spa", "The {word} Spa", "{city} Wellness Spa", "{word} Retreat", "{word} Spa & Wellbeing"),
        "barber": ("{first}'s Barbers", "{last} & Sons Barbers", "The {word} Barber", "{city} Barber Co.",
                   "Sharp & {word} Barbers", "{first}'s Barbershop"),
    },
    "nl": {
        "salon": ("Kapsalon {first}", "Haarstudio {word}", "Kapper {last}", "Beautysalon {first}", "Salon {word}"),
        "clinic": ("Kliniek {word}", "Huidkliniek {city}", "Esthetische Kliniek {city}", "Kliniek {dr} {last}"),
        "spa": ("Wellness {word}", "Spa {word}", "Sauna & Spa {word}", "Wellnesscentrum {city}"),
        "barber": ("Barbershop {first}", "Barbier {last}", "Herenkapper {first}"),
    },
    "de": {
        "salon": ("Friseursalon {last}", "Haarstudio {first}", "Salon {word}", "Kosmetikstudio {first}",
                  "Haarwerk {city}", "Beauty Lounge {first}"),
        "clinic": ("Praxis {dr} {last}", "Ästhetikpraxis {city}", "Hautzentrum {city}", "Privatpraxis {dr} {last}",
                   "Klinik {word}"),
        "spa": ("Day Spa {word}", "Wellnessoase {city}", "{word} Spa", "Massagepraxis {last}"),
        "barber": ("Barbier {first}", "Barbershop {city}", "Herrenfriseur {last}", "{first}s Barbershop"),
    },
    "fr": {
        "salon": ("Salon {first}", "Institut {word}", "Coiffure {first}", "L'Atelier de {first}",
                  "Institut de beauté {word}", "{first} Coiffure"),
        "clinic": ("Cabinet du {dr} {last}", "Centre de médecine esthétique de {city}", "Clinique {word}",
                   "Centre Laser {city}"),
        "spa": ("Spa {word}", "Le Spa de {city}", "Bien-être {word}", "Institut Spa {word}"),
        "barber": ("Barbier {first}", "Le Barbier de {city}", "Maison {last}", "Barber Shop {first}"),
    },
    "es": {
        "salon": ("Peluquería {first}", "Salón {word}", "Centro de Estética {first}", "Estudio {first}",
                  "Peluquería {last}"),
        "clinic": ("Clínica {word}", "Clínica Estética {city}", "Clínica {dr} {last}", "Centro Médico Estético {word}"),
        "spa": ("Spa {word}", "Centro de Bienestar {word}", "{word} Spa Urbano"),
        "barber": ("Barbería {first}", "Barbería {last}", "La Barbería de {city}"),
    },
    "it": {
        "salon": ("Parrucchiere {first}", "Salone {word}", "Centro Estetico {first}", "Atelier {first}",
                  "Hair Studio {last}"),
        "clinic": ("Studio Medico {last}", "Centro di Medicina Estetica {city}", "Clinica {word}",
                   "Ambulatorio Estetico {dr} {last}"),
        "spa": ("Spa {word}", "Centro Benessere {word}", "Oasi {word}"),
        "barber": ("Barbiere {first}", "Barberia {last}", "Antica Barberia {city}"),
    },
    "pt": {
        "salon": ("Cabeleireiro {first}", "Salão {word}", "Estúdio {first}", "Instituto de Beleza {word}"),
        "clinic": ("Clínica {word}", "Clínica {dr} {last}", "Centro de Estética Médica {city}"),
        "spa": ("Spa {word}", "Centro de Bem-Estar {word}", "{word} Spa"),
        "barber": ("Barbearia {first}", "Barbearia {last}", "Barbearia de {city}"),
    },
}

# Closures a venue may take: (month, day, reason) by country; Christmas applies everywhere.
HOLIDAYS: dict[str, tuple[tuple[int, int, str], ...]] = {
    "GB": ((12, 25, "Christmas Day"), (12, 26, "Boxing Day"), (1, 1, "New Year's Day")),
    "IE": ((12, 25, "Christmas Day"), (12, 26, "St Stephen's Day"), (3, 17, "St Patrick's Day")),
    "NL": ((12, 25, "Christmas"), (4, 27, "King's Day"), (1, 1, "New Year's Day")),
    "BE": ((12, 25, "Christmas"), (7, 21, "National Day"), (1, 1, "New Year's Day")),
    "DE": ((12, 25, "Christmas"), (12, 26, "Second day of Christmas"), (10, 3, "German Unity Day")),
    "FR": ((12, 25, "Christmas"), (7, 14, "Bastille Day"), (8, 15, "Assumption Day")),
    "ES": ((12, 25, "Christmas"), (10, 12, "National Day"), (1, 6, "Epiphany")),
    "IT": ((12, 25, "Christmas"), (8, 15, "Ferragosto"), (6, 2, "Republic Day")),
    "PT": ((12, 25, "Christmas"), (6, 10, "Portugal Day"), (10, 5, "Republic Day")),
}
