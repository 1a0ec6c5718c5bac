"""Made-up but Finnish-looking people: common surnames repeat a lot, as they do in Finland."""


def _listed(block: str) -> list[str]:
    return block.split()


# Roughly in order of frequency; weights fall off as 1/rank.
SURNAMES = _listed(
    """
Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen Järvinen
Lehtonen Lehtinen Saarinen Salminen Heinonen Niemi Heikkilä Kinnunen Salonen Turunen Salo
Laitinen Tuominen Rantanen Karjalainen Jokinen Mattila Savolainen Lahtinen Ahonen
Hiltunen Ojala Leinonen Hirvonen Kallio Väisänen Leppänen Aaltonen Manninen Pitkänen
Lindholm Seppälä Miettinen Koivisto Laaksonen Kemppainen Huttunen Hyvönen Anttila Räsänen
Pulkkinen Mustonen Honkanen Lindqvist Ketola Rautio Pesonen Nurmi Peltonen Lappalainen
Kettunen Vainio Toivonen Moilanen Koponen Eskola Sirviö Partanen Kauppinen Markkanen
Rinne Vesterinen Östman Åberg Nyström Holmström Forsman Grönroos Söderberg Wikström
Rantamäki Mäki Mäkiaho Ylönen Öhman Kärkkäinen Pölönen Tähtinen Jääskeläinen Kyllönen
Sjöblom Björklund Ek Lind Berg Aho Heiskanen Kivelä Lehto Suominen Vuorinen Hakala Harju
Kokkonen Riihimäki Haapala Kallio-Mäkinen Niskanen Valtonen Parviainen Karvonen Lampinen
Saari Kivinen Nyman Kangas Honkonen Pakarinen
"""
)

FIRST_NAMES = _listed(
    """
Maria Juhani Johanna Mikael Anna Olavi Helena Antero Katariina Tapani Sofia Matti Emilia
Kalevi Aino Timo Liisa Mikko Kristiina Juha Elina Kari Marjatta Pekka Hanna Jukka Tuula
Antti Päivi Markku Sari Jari Minna Heikki Tiina Petri Anna-Liisa Eeva Ville Leena Jussi
Riikka Sami Kaisa Janne Satu Teemu Laura Tuomas Noora Aleksi Saara Eero Ilona Onni Venla
Väinö Siiri Eetu Helmi Aapo Iida Lauri Pihla Otto Jöns Åsa Björn Märta Séverine Zoë Ahmed
Olga Dmitri Ngoc
"""
)

MUNICIPALITIES = _listed(
    """
Helsinki Espoo Tampere Vantaa Oulu Turku Jyväskylä Kuopio Lahti Pori Kouvola Joensuu
Lappeenranta Hämeenlinna Vaasa Seinäjoki Rovaniemi Mikkeli Kotka Salo Porvoo Kokkola
Lohja Hyvinkää Nurmijärvi Järvenpää Rauma Tuusula Kirkkonummi Kajaani Kerava Savonlinna
Nokia Ylöjärvi Kangasala Riihimäki Raseborg Imatra Sastamala Raahe Inari Utsjoki Närpes
Jakobstad
"""
)

# Stems and endings that make up the long tail of rarer surnames (Kivimäki, Koivunen, ...).
SURNAME_STEMS = _listed(
    """
Kivi Mäki Järvi Koski Lahti Niemi Salo Harju Laakso Ranta Saari Vuori Metsä Pelto Suo Lampi
Joki Haapa Koivu Leppä Kuusi Mänty Honka Tammi Paju Kataja Rinne Kumpu Nummi Kangas Oja
Lehto Hieta Savi Halla Tuuli Lumi Virta Hovi Talo Lähde Puro Selkä Pohja Latva Karhu Susi
Kettu Ilves Hirvi Kurki Joutsen Haukka Teeri Sorsa Kallio Ahde Vaara Palo Korpi
"""
)
SURNAME_ENDINGS = _listed(
    """
nen la lä maa aho oja salo vaara mäki niemi lahti järvi koski ranta pää luoma kangas vuori
"""
)
