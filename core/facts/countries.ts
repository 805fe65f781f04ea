/**
 * Country names as applicants and national bodies write them (English,
 * native, and the other languages of the call's documents) mapped to ISO
 * 3166-1 alpha-2. Names are matched folded (case and accents ignored) and as
 * whole word sequences, so "Italia" never matches inside "Italian".
 */
import { foldWithMap, mapRange } from './text-fold';

interface CountryEntry {
  alpha2: string;
  alpha3: string;
  names: string[];
}

// A name prefixed with '~' is accepted as a whole field value only, never
// searched in running text: it is also a common word or a first name
// ("Georgia", "Jordan", "Island" = Iceland in German, "Monaco" = Munich in Italian).
const COUNTRIES: CountryEntry[] = [
  // EU
  { alpha2: 'AT', alpha3: 'AUT', names: ['Austria', 'Österreich', 'Autriche', 'Oostenrijk', 'Áustria', 'Αυστρία', 'Rakousko', 'Ausztria', 'Avusturya', 'Republik Österreich'] },
  { alpha2: 'BE', alpha3: 'BEL', names: ['Belgium', 'België', 'Belgique', 'Belgien', 'Belgio', 'Bélgica', 'Belgia', 'Βέλγιο', 'Belgie', 'Belçika', 'Kingdom of Belgium', 'Royaume de Belgique'] },
  { alpha2: 'BG', alpha3: 'BGR', names: ['Bulgaria', 'България', 'Bulgarie', 'Bulgarien', 'Bulgária', 'Bulgarije', 'Bułgaria', 'Βουλγαρία', 'Bulharsko', 'Bulgaristan'] },
  { alpha2: 'HR', alpha3: 'HRV', names: ['Croatia', 'Hrvatska', 'Croatie', 'Kroatien', 'Croazia', 'Croacia', 'Croácia', 'Kroatië', 'Chorwacja', 'Κροατία', 'Croația', 'Chorvatsko', 'Horvátország', 'Hırvatistan', 'Republika Hrvatska'] },
  { alpha2: 'CY', alpha3: 'CYP', names: ['Cyprus', 'Κύπρος', 'Kıbrıs', 'Chypre', 'Zypern', 'Cipro', 'Chipre', 'Cypr', 'Cipru', 'Kypr', 'Ciprus', 'Republic of Cyprus', 'Κυπριακή Δημοκρατία'] },
  { alpha2: 'CZ', alpha3: 'CZE', names: ['Czech Republic', 'Czechia', 'Česko', 'Česká republika', 'République tchèque', 'Tchéquie', 'Tschechien', 'Tschechische Republik', 'Repubblica Ceca', 'Cechia', 'República Checa', 'Chequia', 'República Tcheca', 'Chéquia', 'Tsjechië', 'Czechy', 'Τσεχία', 'Cehia', 'Republica Cehă', 'Csehország', 'Çekya'] },
  { alpha2: 'DK', alpha3: 'DNK', names: ['Denmark', 'Danmark', 'Danemark', 'Dänemark', 'Danimarca', 'Dinamarca', 'Denemarken', '~Dania', 'Δανία', 'Danemarca', 'Dánsko', 'Dánia', 'Danimarka'] },
  { alpha2: 'EE', alpha3: 'EST', names: ['Estonia', 'Eesti', 'Estonie', 'Estland', 'Estônia', 'Estónia', 'Εσθονία', 'Estonsko', 'Észtország', 'Estonya'] },
  { alpha2: 'FI', alpha3: 'FIN', names: ['Finland', 'Suomi', 'Finlande', 'Finnland', 'Finlandia', 'Finlândia', 'Φινλανδία', 'Finlanda', 'Finsko', 'Finnország', 'Finlandiya'] },
  // France's overseas departments and collectivities are France (Constitution, art. 72-3 and title XIII): a
  // radiologist in Guadeloupe or La Réunion applies from the host country, whatever ISO 3166 codes they carry.
  { alpha2: 'FR', alpha3: 'FRA', names: ['France', 'Frankreich', 'Francia', 'França', 'Frankrijk', 'Francja', 'Γαλλία', 'Franța', 'Francie', 'Franciaország', 'Fransa', 'Frankrike', 'Frankrig', 'République française', 'French Republic',
    'Guadeloupe', 'Martinique', 'Guyane', 'Guyane française', 'French Guiana', 'La Réunion', 'Île de la Réunion', 'Reunion Island', 'Mayotte',
    'Saint-Pierre-et-Miquelon', 'Saint-Barthélemy', 'Polynésie française', 'French Polynesia', 'Nouvelle-Calédonie', 'New Caledonia',
    'Wallis-et-Futuna', 'Wallis and Futuna'] },
  { alpha2: 'DE', alpha3: 'DEU', names: ['Germany', 'Deutschland', 'Allemagne', 'Germania', 'Alemania', 'Alemanha', 'Duitsland', 'Niemcy', 'Γερμανία', 'Německo', 'Németország', 'Almanya', 'Tyskland', 'Saksa', 'Bundesrepublik Deutschland', 'Federal Republic of Germany'] },
  { alpha2: 'GR', alpha3: 'GRC', names: ['Greece', 'Ελλάδα', 'Ελλάς', 'Hellas', 'Hellenic Republic', 'Ελληνική Δημοκρατία', 'Grèce', 'Griechenland', 'Grecia', 'Grécia', 'Griekenland', 'Grecja', 'Řecko', 'Görögország', 'Yunanistan', 'Grekland', 'Grækenland', 'Ellada'] },
  { alpha2: 'HU', alpha3: 'HUN', names: ['Hungary', 'Magyarország', 'Hongrie', 'Ungarn', 'Ungheria', 'Hungría', 'Hungria', 'Hongarije', 'Węgry', 'Ουγγαρία', 'Ungaria', 'Maďarsko', 'Macaristan', 'Ungern'] },
  { alpha2: 'IE', alpha3: 'IRL', names: ['Ireland', 'Éire', 'Eire', 'Republic of Ireland', 'Irlande', 'Irland', 'Irlanda', 'Ierland', 'Irlandia', 'Ιρλανδία', 'Irsko', 'Írország', 'İrlanda'] },
  { alpha2: 'IT', alpha3: 'ITA', names: ['Italy', 'Italia', 'Italie', 'Italien', 'Itália', 'Italië', 'Włochy', 'Ιταλία', 'Itálie', 'Olaszország', 'İtalya', 'Repubblica Italiana', 'Italian Republic'] },
  { alpha2: 'LV', alpha3: 'LVA', names: ['Latvia', 'Latvija', 'Lettonie', 'Lettland', 'Lettonia', 'Letonia', 'Letônia', 'Letónia', 'Letland', 'Łotwa', 'Λετονία', 'Lotyšsko', 'Lettország', 'Letonya'] },
  { alpha2: 'LT', alpha3: 'LTU', names: ['Lithuania', 'Lietuva', 'Lituanie', 'Litauen', 'Lituania', 'Lituânia', 'Litouwen', 'Litwa', 'Λιθουανία', 'Litva', 'Litvánia', 'Litvanya'] },
  { alpha2: 'LU', alpha3: 'LUX', names: ['Luxembourg', 'Lëtzebuerg', 'Luxemburg', 'Lussemburgo', 'Luxemburgo', 'Luksemburg', 'Λουξεμβούργο', 'Lucemburk', 'Lüksemburg', 'Grand Duchy of Luxembourg', 'Grand-Duché de Luxembourg'] },
  { alpha2: 'MT', alpha3: 'MLT', names: ['Malta', 'Malte', 'Μάλτα'] },
  { alpha2: 'NL', alpha3: 'NLD', names: ['Netherlands', 'The Netherlands', 'Nederland', 'Holland', 'Pays-Bas', 'Niederlande', 'Paesi Bassi', 'Países Bajos', 'Países Baixos', 'Holanda', 'Holandia', 'Niderlandy', 'Ολλανδία', 'Κάτω Χώρες', 'Țările de Jos', 'Olanda', 'Nizozemsko', 'Hollandia', 'Hollanda', 'Nederländerna', 'Koninkrijk der Nederlanden', 'Kingdom of the Netherlands'] },
  { alpha2: 'PL', alpha3: 'POL', names: ['Poland', 'Polska', 'Pologne', 'Polen', 'Polonia', 'Polónia', 'Polônia', 'Πολωνία', 'Polsko', 'Lengyelország', 'Polonya', 'Rzeczpospolita Polska', 'Republic of Poland'] },
  { alpha2: 'PT', alpha3: 'PRT', names: ['Portugal', 'Portogallo', 'Portugalia', 'Πορτογαλία', 'Portugalsko', 'Portekiz', 'República Portuguesa', 'Portuguese Republic'] },
  { alpha2: 'RO', alpha3: 'ROU', names: ['Romania', 'România', 'Roumanie', 'Rumänien', 'Rumania', 'Roménia', 'Romênia', 'Roemenië', 'Rumunia', 'Ρουμανία', 'Rumunsko', 'Románia', 'Romanya'] },
  { alpha2: 'SK', alpha3: 'SVK', names: ['Slovakia', 'Slovensko', 'Slovaquie', 'Slowakei', 'Slovacchia', 'Eslovaquia', 'Eslováquia', 'Slowakije', 'Słowacja', 'Σλοβακία', 'Slovacia', 'Szlovákia', 'Slovakya', 'Slovak Republic', 'Slovenská republika'] },
  { alpha2: 'SI', alpha3: 'SVN', names: ['Slovenia', 'Slovenija', 'Slovénie', 'Slowenien', 'Eslovenia', 'Eslovênia', 'Eslovénia', 'Slovenië', 'Słowenia', 'Σλοβενία', 'Slovinsko', 'Szlovénia', 'Slovenya'] },
  { alpha2: 'ES', alpha3: 'ESP', names: ['Spain', 'España', 'Espagne', 'Spanien', 'Spagna', 'Espanha', 'Spanje', 'Hiszpania', 'Ισπανία', 'Spania', 'Espanya', 'Španělsko', 'Spanyolország', 'İspanya', 'Reino de España', 'Kingdom of Spain'] },
  { alpha2: 'SE', alpha3: 'SWE', names: ['Sweden', 'Sverige', 'Suède', 'Schweden', 'Svezia', 'Suecia', 'Suécia', 'Zweden', 'Szwecja', 'Σουηδία', 'Suedia', 'Švédsko', 'Svédország', 'İsveç'] },
  // EEA, EFTA, UK and the rest of Europe
  { alpha2: 'IS', alpha3: 'ISL', names: ['Iceland', '~Ísland', 'Islande', 'Islanda', 'Islandia', 'Islândia', 'IJsland', 'Ισλανδία', 'Izland', 'İzlanda'] },
  { alpha2: 'LI', alpha3: 'LIE', names: ['Liechtenstein', 'Lihtenştayn'] },
  { alpha2: 'NO', alpha3: 'NOR', names: ['Norway', 'Norge', 'Noreg', 'Norvège', 'Norwegen', 'Norvegia', 'Noruega', 'Noorwegen', 'Norwegia', 'Νορβηγία', 'Norsko', 'Norvégia', 'Norveç'] },
  { alpha2: 'CH', alpha3: 'CHE', names: ['Switzerland', 'Schweiz', 'Suisse', 'Svizzera', 'Svizra', 'Suiza', 'Suíça', 'Zwitserland', 'Szwajcaria', 'Ελβετία', 'Elveția', 'Švýcarsko', 'Svájc', 'İsviçre', 'Confoederatio Helvetica', 'Helvetia', 'Swiss Confederation', 'Schweizerische Eidgenossenschaft', 'Confédération suisse', 'Confederazione Svizzera'] },
  { alpha2: 'GB', alpha3: 'GBR', names: ['United Kingdom', 'UK', 'U.K.', 'United Kingdom of Great Britain and Northern Ireland', 'Great Britain', 'Britain', 'England', 'Scotland', 'Wales', 'Northern Ireland', 'Royaume-Uni', 'Vereinigtes Königreich', 'Großbritannien', 'Grossbritannien', 'Regno Unito', 'Reino Unido', 'Verenigd Koninkrijk', 'Wielka Brytania', 'Ηνωμένο Βασίλειο', 'Regatul Unit', 'Marea Britanie', 'Grande-Bretagne', 'Gran Bretagna', 'Gran Bretaña', 'Grã-Bretanha', 'Groot-Brittannië', 'Inghilterra', 'Angleterre', 'Inglaterra', 'Anglia', 'Engeland', 'Schottland', 'Écosse', 'Scozia', 'Escocia', 'Spojené království', 'Egyesült Királyság', 'Birleşik Krallık'] },
  { alpha2: 'AD', alpha3: 'AND', names: ['Andorra', 'Andorre'] },
  { alpha2: 'MC', alpha3: 'MCO', names: ['~Monaco', 'Μονακό', 'Principality of Monaco', 'Principauté de Monaco'] },
  { alpha2: 'SM', alpha3: 'SMR', names: ['San Marino', 'Saint-Marin'] },
  { alpha2: 'VA', alpha3: 'VAT', names: ['Vatican', 'Vatican City', 'Holy See', 'Città del Vaticano', 'Vaticano', 'Vatikan'] },
  { alpha2: 'AL', alpha3: 'ALB', names: ['Albania', 'Shqipëria', 'Shqipëri', 'Albanie', 'Albanien', 'Albanië', 'Albânia', 'Αλβανία', 'Albánie', 'Albánia', 'Arnavutluk'] },
  { alpha2: 'BA', alpha3: 'BIH', names: ['Bosnia and Herzegovina', 'Bosnia & Herzegovina', 'Bosnia-Herzegovina', 'Bosnia', 'Bosna i Hercegovina', 'Bosnie-Herzégovine', 'Bosnien und Herzegowina', 'Bosnien-Herzegowina', 'Bosnia ed Erzegovina', 'Bosnia y Herzegovina', 'Bósnia e Herzegovina', 'Bosnië en Herzegovina', 'Bośnia i Hercegowina', 'Βοσνία-Ερζεγοβίνη', 'Bosnia și Herțegovina', 'Bosna a Hercegovina', 'Bosna-Hersek', 'Босна и Херцеговина'] },
  { alpha2: 'ME', alpha3: 'MNE', names: ['Montenegro', 'Crna Gora', 'Црна Гора', 'Monténégro', 'Czarnogóra', 'Μαυροβούνιο', 'Muntenegru', 'Černá Hora', 'Karadağ'] },
  { alpha2: 'MK', alpha3: 'MKD', names: ['North Macedonia', 'Republic of North Macedonia', '~Macedonia', 'Северна Македонија', 'Македонија', 'Macédoine du Nord', '~Macédoine', 'Nordmazedonien', 'Mazedonien', 'Macedonia del Nord', 'Macedonia del Norte', 'Macedônia do Norte', 'Macedónia do Norte', 'Noord-Macedonië', 'Macedonia Północna', 'Βόρεια Μακεδονία', 'Macedonia de Nord', 'Severní Makedonie', 'Észak-Macedónia', 'Kuzey Makedonya', 'FYROM', 'Former Yugoslav Republic of Macedonia'] },
  { alpha2: 'RS', alpha3: 'SRB', names: ['Serbia', 'Srbija', 'Србија', 'Serbie', 'Serbien', 'Sérvia', 'Servië', 'Σερβία', 'Srbsko', 'Szerbia', 'Sırbistan', 'Republic of Serbia'] },
  { alpha2: 'XK', alpha3: 'XKX', names: ['Kosovo', 'Kosova', 'Kosowo', 'Κοσσυφοπέδιο', 'Косово'] },
  { alpha2: 'MD', alpha3: 'MDA', names: ['Moldova', 'Republic of Moldova', 'Republica Moldova', 'Moldavie', 'Moldawien', 'Moldavia', 'Moldávia', 'Mołdawia', 'Μολδαβία', 'Moldavsko', 'Moldávia', 'Moldova Cumhuriyeti'] },
  { alpha2: 'UA', alpha3: 'UKR', names: ['Ukraine', 'Україна', 'Ucraina', 'Ucrania', 'Ucrânia', 'Oekraïne', 'Ukraina', 'Ουκρανία', 'Ukrajina', 'Ukrajna', 'Ukrayna'] },
  { alpha2: 'BY', alpha3: 'BLR', names: ['Belarus', 'Беларусь', 'Біеларусь', 'Biélorussie', 'Bélarus', 'Weißrussland', 'Weissrussland', 'Bielorussia', 'Bielorrusia', 'Bielorrússia', 'Wit-Rusland', 'Białoruś', 'Λευκορωσία', 'Bělorusko', 'Fehéroroszország', 'Belarus Cumhuriyeti'] },
  { alpha2: 'RU', alpha3: 'RUS', names: ['Russia', 'Russian Federation', 'Россия', 'Российская Федерация', 'Russie', 'Russland', 'Russia', 'Rusia', 'Rússia', 'Rusland', 'Rosja', 'Ρωσία', 'Rusko', 'Oroszország', 'Rusya'] },
  { alpha2: 'TR', alpha3: 'TUR', names: ['Turkey', 'Türkiye', 'Turquie', 'Türkei', 'Turchia', 'Turquía', 'Turquia', 'Turkije', 'Turcja', 'Τουρκία', 'Turcia', 'Turecko', 'Törökország', 'Republic of Turkey', 'Republic of Türkiye'] },
  { alpha2: 'GE', alpha3: 'GEO', names: ['~Georgia', 'Sakartvelo', 'საქართველო', 'Géorgie', 'Georgien', 'Georgië', 'Gruzja', 'Γεωργία', 'Gruzie', 'Grúzia', 'Gürcistan', 'Geórgia'] },
  { alpha2: 'AM', alpha3: 'ARM', names: ['Armenia', 'Հայաստան', 'Arménie', 'Armenien', 'Armênia', 'Arménia', 'Armenië', 'Αρμενία', 'Arménie', 'Örményország', 'Ermenistan'] },
  { alpha2: 'AZ', alpha3: 'AZE', names: ['Azerbaijan', 'Azərbaycan', 'Azerbaïdjan', 'Aserbaidschan', 'Azerbaigian', 'Azerbaiyán', 'Azerbaijão', 'Azerbeidzjan', 'Azerbejdżan', 'Αζερμπαϊτζάν', 'Azerbaidjan', 'Ázerbájdžán', 'Azerbajdzsán'] },
  { alpha2: 'KZ', alpha3: 'KAZ', names: ['Kazakhstan', 'Қазақстан', 'Казахстан', 'Kasachstan', 'Kazakistan', 'Kazajistán', 'Cazaquistão', 'Kazachstan', 'Καζακστάν', 'Kazahstan'] },
  { alpha2: 'IL', alpha3: 'ISR', names: ['Israel', 'ישראל', 'Israël', 'Israele', 'Izrael', 'Ισραήλ', 'İsrail', 'State of Israel'] },
  { alpha2: 'GI', alpha3: 'GIB', names: ['Gibraltar'] },
  { alpha2: 'FO', alpha3: 'FRO', names: ['Faroe Islands', 'Føroyar', 'Färöer'] },
  // Elsewhere: the countries applicants most often come from or work in.
  { alpha2: 'US', alpha3: 'USA', names: ['United States', 'United States of America', 'USA', 'U.S.A.', '~US', '~U.S.', 'Vereinigte Staaten', 'Vereinigte Staaten von Amerika', 'États-Unis', "États-Unis d'Amérique", 'Stati Uniti', "Stati Uniti d'America", 'Estados Unidos', 'Estados Unidos de América', 'Verenigde Staten', 'Stany Zjednoczone', 'Ηνωμένες Πολιτείες', 'Statele Unite', 'Statele Unite ale Americii', 'Spojené státy', 'Amerikai Egyesült Államok', 'Amerika Birleşik Devletleri', '~America', '~Amerika'] },
  { alpha2: 'CA', alpha3: 'CAN', names: ['Canada', 'Kanada', 'Canadá', 'Καναδάς'] },
  { alpha2: 'MX', alpha3: 'MEX', names: ['Mexico', 'México', 'Mexique', 'Mexiko', 'Messico', 'Meksyk', 'Mexic', 'Μεξικό', 'Meksika'] },
  { alpha2: 'BR', alpha3: 'BRA', names: ['Brazil', 'Brasil', 'Brésil', 'Brasilien', 'Brasile', 'Brazylia', 'Brazilië', 'Βραζιλία', 'Brazilia', 'Brazílie', 'Brezilya'] },
  { alpha2: 'AR', alpha3: 'ARG', names: ['Argentina', 'Argentine', 'Argentinien', 'Argentinië', 'Argentyna', 'Αργεντινή', 'Arjantin'] },
  { alpha2: 'CL', alpha3: 'CHL', names: ['Chile', 'Chili', 'Cile', 'Χιλή', 'Şili'] },
  { alpha2: 'CO', alpha3: 'COL', names: ['Colombia', 'Colombie', 'Kolumbien', 'Kolumbia', 'Colômbia', 'Κολομβία', '~Columbia', 'Kolombiya'] },
  { alpha2: 'PE', alpha3: 'PER', names: ['Peru', 'Perú', 'Pérou', 'Περού'] },
  { alpha2: 'VE', alpha3: 'VEN', names: ['Venezuela', 'Βενεζουέλα'] },
  { alpha2: 'CU', alpha3: 'CUB', names: ['Cuba', 'Kuba', 'Κούβα'] },
  { alpha2: 'IN', alpha3: 'IND', names: ['India', 'Inde', 'Indien', 'Índia', '~Indie', 'Ινδία', 'Hindistan', 'Bharat'] },
  { alpha2: 'PK', alpha3: 'PAK', names: ['Pakistan', 'Πακιστάν'] },
  { alpha2: 'BD', alpha3: 'BGD', names: ['Bangladesh', 'Bangladesz'] },
  { alpha2: 'LK', alpha3: 'LKA', names: ['Sri Lanka'] },
  { alpha2: 'NP', alpha3: 'NPL', names: ['Nepal', 'Népal'] },
  { alpha2: 'CN', alpha3: 'CHN', names: ['China', "People's Republic of China", 'Chine', 'Cina', 'Chiny', 'Κίνα', 'Chinë', 'Čína', 'Kína', '~Çin', 'Volksrepublik China', '中国'] },
  { alpha2: 'TW', alpha3: 'TWN', names: ['Taiwan', 'Taïwan', 'Tajwan', 'Ταϊβάν'] },
  { alpha2: 'HK', alpha3: 'HKG', names: ['Hong Kong', 'Hongkong'] },
  { alpha2: 'JP', alpha3: 'JPN', names: ['Japan', 'Japon', 'Giappone', 'Japón', 'Japão', 'Japonia', 'Ιαπωνία', 'Japonsko', 'Japonya', 'Nippon', '日本'] },
  { alpha2: 'KR', alpha3: 'KOR', names: ['South Korea', 'Korea', 'Republic of Korea', 'Corée du Sud', 'Corée', 'Südkorea', 'Corea del Sud', 'Corea del Sur', 'Coreia do Sul', 'Zuid-Korea', 'Korea Południowa', 'Νότια Κορέα', 'Coreea de Sud', 'Jižní Korea', 'Güney Kore'] },
  { alpha2: 'SG', alpha3: 'SGP', names: ['Singapore', 'Singapur', 'Singapour', 'Σιγκαπούρη'] },
  { alpha2: 'MY', alpha3: 'MYS', names: ['Malaysia', 'Malaisie', 'Malesia', 'Malasia', 'Malásia', 'Malezja'] },
  { alpha2: 'TH', alpha3: 'THA', names: ['Thailand', 'Thaïlande', 'Tailandia', 'Tailândia', 'Tajlandia'] },
  { alpha2: 'VN', alpha3: 'VNM', names: ['Vietnam', 'Viet Nam', 'Viêt Nam', 'Wietnam'] },
  { alpha2: 'ID', alpha3: 'IDN', names: ['Indonesia', 'Indonésie', 'Indonesien', 'Indonésia', 'Indonezja'] },
  { alpha2: 'PH', alpha3: 'PHL', names: ['Philippines', 'Philippinen', 'Filippine', 'Filipinas', 'Filipiny'] },
  { alpha2: 'AU', alpha3: 'AUS', names: ['Australia', 'Australie', 'Australien', 'Austrália', 'Australië', 'Αυστραλία', 'Austrálie', 'Avustralya'] },
  { alpha2: 'NZ', alpha3: 'NZL', names: ['New Zealand', 'Nouvelle-Zélande', 'Neuseeland', 'Nuova Zelanda', 'Nueva Zelanda', 'Nova Zelândia', 'Nieuw-Zeeland', 'Nowa Zelandia'] },
  { alpha2: 'ZA', alpha3: 'ZAF', names: ['South Africa', 'Afrique du Sud', 'Südafrika', 'Sudafrica', 'Sudáfrica', 'África do Sul', 'Zuid-Afrika', 'Republika Południowej Afryki', 'Νότια Αφρική', 'Africa de Sud'] },
  { alpha2: 'EG', alpha3: 'EGY', names: ['Egypt', 'Égypte', 'Ägypten', 'Egitto', 'Egipto', 'Egito', 'Egypte', 'Egipt', 'Αίγυπτος', 'Egyiptom', 'Mısır', 'مصر', 'Arab Republic of Egypt'] },
  { alpha2: 'MA', alpha3: 'MAR', names: ['Morocco', 'Maroc', 'Marokko', 'Marocco', 'Marruecos', 'Marrocos', 'Maroko', 'Μαρόκο', '~Fas', 'المغرب'] },
  { alpha2: 'DZ', alpha3: 'DZA', names: ['Algeria', 'Algérie', 'Algerien', 'Argelia', 'Argélia', 'Algerije', 'Algieria', 'Αλγερία', 'Cezayir'] },
  { alpha2: 'TN', alpha3: 'TUN', names: ['Tunisia', 'Tunisie', 'Tunesien', 'Túnez', 'Tunísia', 'Tunesië', 'Tunezja', 'Τυνησία', 'Tunus'] },
  { alpha2: 'LY', alpha3: 'LBY', names: ['Libya', 'Libye', 'Libyen', 'Libia', 'Líbia', 'Λιβύη'] },
  { alpha2: 'LB', alpha3: 'LBN', names: ['Lebanon', 'Liban', 'Libanon', 'Libano', 'Líbano', 'Λίβανος', 'Lübnan'] },
  { alpha2: 'SY', alpha3: 'SYR', names: ['Syria', 'Syrie', 'Syrien', 'Siria', 'Síria', 'Syrië', 'Syria', 'Συρία', 'Suriye'] },
  { alpha2: 'JO', alpha3: 'JOR', names: ['~Jordan', 'Jordanie', 'Jordanien', 'Giordania', 'Jordania', 'Jordânia', 'Jordanië', 'Ιορδανία', 'Ürdün'] },
  { alpha2: 'IQ', alpha3: 'IRQ', names: ['Iraq', 'Irak', 'Iraque', 'Ιράκ'] },
  { alpha2: 'IR', alpha3: 'IRN', names: ['Iran', 'Islamic Republic of Iran', 'Irán', 'Irã', 'Ιράν'] },
  { alpha2: 'SA', alpha3: 'SAU', names: ['Saudi Arabia', 'Kingdom of Saudi Arabia', 'Arabie saoudite', 'Saudi-Arabien', 'Arabia Saudita', 'Arabia Saudí', 'Arábia Saudita', 'Saoedi-Arabië', 'Arabia Saudyjska'] },
  { alpha2: 'AE', alpha3: 'ARE', names: ['United Arab Emirates', 'UAE', 'U.A.E.', 'Émirats arabes unis', 'Vereinigte Arabische Emirate', 'Emirati Arabi Uniti', 'Emiratos Árabes Unidos', 'Emirados Árabes Unidos', 'Zjednoczone Emiraty Arabskie'] },
  { alpha2: 'QA', alpha3: 'QAT', names: ['Qatar', 'Katar'] },
  { alpha2: 'KW', alpha3: 'KWT', names: ['Kuwait', 'Koweït', 'Kuwejt'] },
  { alpha2: 'NG', alpha3: 'NGA', names: ['Nigeria', 'Nigéria'] },
  { alpha2: 'KE', alpha3: 'KEN', names: ['Kenya', 'Kenia', 'Quénia', 'Quênia'] },
  { alpha2: 'ET', alpha3: 'ETH', names: ['Ethiopia', 'Éthiopie', 'Äthiopien', 'Etiopia', 'Etiopía', 'Etiópia'] },
  { alpha2: 'GH', alpha3: 'GHA', names: ['Ghana'] },
  { alpha2: 'SN', alpha3: 'SEN', names: ['Senegal', 'Sénégal'] },
  { alpha2: 'CM', alpha3: 'CMR', names: ['Cameroon', 'Cameroun', 'Kamerun', 'Camerun', 'Camerún', 'Camarões'] },
  { alpha2: 'UZ', alpha3: 'UZB', names: ['Uzbekistan', 'Ouzbékistan', 'Usbekistan', 'Uzbekistán', 'Uzbequistão'] },
  // The rest of ISO 3166-1 (Debian's iso-codes 4.15: English short, common and official names, and their
  // French translations), so that a residence anywhere is a country and not "unverified" (ea29, Oman).
  // France's overseas parts are France (above); uninhabited territories are left out. A name that is
  // also a word or a first name ("Chad", "Mali", "Maurice", "Salvador", "Jersey") is a whole field value only.
  { alpha2: 'AW', alpha3: 'ABW', names: ['~Aruba'] },
  { alpha2: 'AF', alpha3: 'AFG', names: ['Afghanistan', 'Islamic Republic of Afghanistan', 'République islamique d\'Afghanistan'] },
  { alpha2: 'AO', alpha3: 'AGO', names: ['Angola', 'Republic of Angola', 'République d\'Angola'] },
  { alpha2: 'AI', alpha3: 'AIA', names: ['~Anguilla'] },
  { alpha2: 'AX', alpha3: 'ALA', names: ['Åland Islands'] },
  { alpha2: 'AS', alpha3: 'ASM', names: ['American Samoa', 'Samoa américaines'] },
  { alpha2: 'AG', alpha3: 'ATG', names: ['Antigua and Barbuda', 'Antigua-et-Barbuda'] },
  { alpha2: 'BI', alpha3: 'BDI', names: ['Burundi', 'Republic of Burundi', 'République du Burundi'] },
  { alpha2: 'BJ', alpha3: 'BEN', names: ['~Benin', '~Bénin', 'Republic of Benin', 'République du Bénin'] },
  { alpha2: 'BF', alpha3: 'BFA', names: ['Burkina Faso'] },
  { alpha2: 'BH', alpha3: 'BHR', names: ['Bahrain', 'Bahreïn', 'Kingdom of Bahrain', 'Royaume de Bahreïn'] },
  { alpha2: 'BS', alpha3: 'BHS', names: ['Bahamas', 'Commonwealth of the Bahamas', 'Commonwealth des Bahamas'] },
  { alpha2: 'BZ', alpha3: 'BLZ', names: ['Belize'] },
  { alpha2: 'BM', alpha3: 'BMU', names: ['~Bermuda', '~Bermudes'] },
  { alpha2: 'BO', alpha3: 'BOL', names: ['Bolivia', 'Bolivie', 'Plurinational State of Bolivia', 'État plurinational de Bolivie'] },
  { alpha2: 'BB', alpha3: 'BRB', names: ['Barbados', 'Barbade'] },
  { alpha2: 'BN', alpha3: 'BRN', names: ['Brunei Darussalam', 'Brunéi Darussalam'] },
  { alpha2: 'BT', alpha3: 'BTN', names: ['Bhutan', 'Bhoutan', 'Kingdom of Bhutan', 'Royaume du Bouthan'] },
  { alpha2: 'BW', alpha3: 'BWA', names: ['Botswana', 'Republic of Botswana', 'République du Botswana'] },
  { alpha2: 'CF', alpha3: 'CAF', names: ['Central African Republic', 'République centrafricaine'] },
  { alpha2: 'CI', alpha3: 'CIV', names: ['Côte d\'Ivoire', 'Republic of Côte d\'Ivoire', 'République de Côte d\'Ivoire', 'Ivory Coast'] },
  { alpha2: 'CD', alpha3: 'COD', names: ['Democratic Republic of the Congo', 'DR Congo', 'République démocratique du Congo'] },
  { alpha2: 'CG', alpha3: 'COG', names: ['~Congo', 'République du Congo', 'Republic of the Congo'] },
  { alpha2: 'CK', alpha3: 'COK', names: ['Cook Islands', 'îles Cook'] },
  { alpha2: 'KM', alpha3: 'COM', names: ['Comoros', 'Comores', 'Union of the Comoros', 'Union des Comores'] },
  { alpha2: 'CV', alpha3: 'CPV', names: ['Cabo Verde', 'Cap-Vert', 'Republic of Cabo Verde', 'République du Cap-Vert'] },
  { alpha2: 'CR', alpha3: 'CRI', names: ['Costa Rica', 'Republic of Costa Rica', 'République du Costa Rica'] },
  { alpha2: 'CW', alpha3: 'CUW', names: ['Curaçao'] },
  { alpha2: 'KY', alpha3: 'CYM', names: ['Cayman Islands', 'îles Caïmans'] },
  { alpha2: 'DJ', alpha3: 'DJI', names: ['Djibouti', 'Republic of Djibouti', 'République de Djibouti'] },
  { alpha2: 'DM', alpha3: 'DMA', names: ['~Dominica', '~Dominique', 'Commonwealth of Dominica', 'Commonwealth de la Dominique'] },
  { alpha2: 'DO', alpha3: 'DOM', names: ['Dominican Republic', 'République dominicaine'] },
  { alpha2: 'EC', alpha3: 'ECU', names: ['Ecuador', 'Équateur', 'Republic of Ecuador', 'République d\'Équateur'] },
  { alpha2: 'ER', alpha3: 'ERI', names: ['Eritrea', 'Érythrée', 'State of Eritrea', 'État d\'Érythrée'] },
  { alpha2: 'EH', alpha3: 'ESH', names: ['Western Sahara', 'Sahara occidental'] },
  { alpha2: 'FJ', alpha3: 'FJI', names: ['Fiji', 'Fidji', 'Republic of Fiji', 'République des Fidji'] },
  { alpha2: 'FM', alpha3: 'FSM', names: ['Federated States of Micronesia', 'États fédérés de Micronésie'] },
  { alpha2: 'GA', alpha3: 'GAB', names: ['~Gabon', 'Gabonese Republic', 'République gabonaise'] },
  { alpha2: 'GG', alpha3: 'GGY', names: ['~Guernsey', '~Guernesey'] },
  { alpha2: 'GN', alpha3: 'GIN', names: ['~Guinea', '~Guinée', 'Republic of Guinea', 'République de Guinée'] },
  { alpha2: 'GM', alpha3: 'GMB', names: ['Gambia', 'Gambie', 'Republic of the Gambia', 'République de Gambie'] },
  { alpha2: 'GW', alpha3: 'GNB', names: ['Guinea-Bissau', 'Guinée-Bissau', 'Republic of Guinea-Bissau', 'République de Guinée-Bissau'] },
  { alpha2: 'GQ', alpha3: 'GNQ', names: ['Equatorial Guinea', 'Guinée Équatoriale', 'Republic of Equatorial Guinea', 'République de Guinée Équatoriale'] },
  { alpha2: 'GD', alpha3: 'GRD', names: ['~Grenada', '~Grenade'] },
  { alpha2: 'GL', alpha3: 'GRL', names: ['Greenland', 'Groënland'] },
  { alpha2: 'GT', alpha3: 'GTM', names: ['Guatemala', 'Republic of Guatemala', 'République du Guatemala'] },
  { alpha2: 'GU', alpha3: 'GUM', names: ['~Guam'] },
  { alpha2: 'GY', alpha3: 'GUY', names: ['Guyana', 'Republic of Guyana', 'République de Guyana'] },
  { alpha2: 'HN', alpha3: 'HND', names: ['Honduras', 'Republic of Honduras', 'République du Honduras'] },
  { alpha2: 'HT', alpha3: 'HTI', names: ['Haiti', 'Haïti', 'Republic of Haiti', 'République de Haïti'] },
  { alpha2: 'IM', alpha3: 'IMN', names: ['Isle of Man', 'Île de Man'] },
  { alpha2: 'JM', alpha3: 'JAM', names: ['Jamaica', 'Jamaïque'] },
  { alpha2: 'JE', alpha3: 'JEY', names: ['~Jersey'] },
  { alpha2: 'KG', alpha3: 'KGZ', names: ['Kyrgyzstan', 'Kirghizistan', 'Kyrgyz Republic', 'République kirghize'] },
  { alpha2: 'KH', alpha3: 'KHM', names: ['Cambodia', 'Cambodge', 'Kingdom of Cambodia', 'Royaume du Cambodge'] },
  { alpha2: 'KI', alpha3: 'KIR', names: ['Kiribati', 'Republic of Kiribati', 'République de Kiribati'] },
  { alpha2: 'KN', alpha3: 'KNA', names: ['Saint Kitts and Nevis', 'Saint-Christophe-et-Niévès'] },
  { alpha2: 'LA', alpha3: 'LAO', names: ['Laos', 'Lao People\'s Democratic Republic'] },
  { alpha2: 'LR', alpha3: 'LBR', names: ['~Liberia', '~Libéria', 'Republic of Liberia', 'République du Libéria'] },
  { alpha2: 'LC', alpha3: 'LCA', names: ['Saint Lucia', 'Sainte-Lucie'] },
  { alpha2: 'LS', alpha3: 'LSO', names: ['Lesotho', 'Kingdom of Lesotho', 'Royaume du Lesotho'] },
  { alpha2: 'MO', alpha3: 'MAC', names: ['Macao', 'Macau', 'Macao Special Administrative Region of China', 'Région spéciale administrative chinoise de Macao'] },
  { alpha2: 'MG', alpha3: 'MDG', names: ['Madagascar', 'Republic of Madagascar', 'République de Madagascar'] },
  { alpha2: 'MV', alpha3: 'MDV', names: ['Maldives', 'Republic of Maldives', 'République des Maldives'] },
  { alpha2: 'MH', alpha3: 'MHL', names: ['Marshall Islands', 'Îles Marshall', 'Republic of the Marshall Islands', 'République des Îles Marshall'] },
  { alpha2: 'ML', alpha3: 'MLI', names: ['~Mali', 'Republic of Mali', 'République du Mali'] },
  { alpha2: 'MM', alpha3: 'MMR', names: ['Myanmar', 'Birmanie', 'Republic of Myanmar', 'République de Myanmar'] },
  { alpha2: 'MN', alpha3: 'MNG', names: ['Mongolia', 'Mongolie'] },
  { alpha2: 'MP', alpha3: 'MNP', names: ['Northern Mariana Islands', 'Îles Mariannes du Nord', 'Commonwealth of the Northern Mariana Islands', 'Commonwealth des îles Mariannes du Nord'] },
  { alpha2: 'MZ', alpha3: 'MOZ', names: ['Mozambique', 'Republic of Mozambique', 'République du Mozambique'] },
  { alpha2: 'MR', alpha3: 'MRT', names: ['Mauritania', 'Mauritanie', 'Islamic Republic of Mauritania', 'République islamique de Mauritanie'] },
  { alpha2: 'MS', alpha3: 'MSR', names: ['~Montserrat'] },
  { alpha2: 'MU', alpha3: 'MUS', names: ['Mauritius', '~Maurice', 'Republic of Mauritius', 'République de l\'Île Maurice'] },
  { alpha2: 'MW', alpha3: 'MWI', names: ['Malawi', 'Republic of Malawi', 'République du Malawi'] },
  { alpha2: 'NA', alpha3: 'NAM', names: ['Namibia', 'Namibie', 'Republic of Namibia', 'République de Namibie'] },
  { alpha2: 'NE', alpha3: 'NER', names: ['~Niger', 'Republic of the Niger', 'République du Niger'] },
  { alpha2: 'NI', alpha3: 'NIC', names: ['Nicaragua', 'Republic of Nicaragua', 'République du Nicaragua'] },
  { alpha2: 'NU', alpha3: 'NIU', names: ['~Niue', '~Nioue'] },
  { alpha2: 'NR', alpha3: 'NRU', names: ['~Nauru', 'Republic of Nauru', 'République de Nauru'] },
  { alpha2: 'OM', alpha3: 'OMN', names: ['Oman', 'Sultanate of Oman', 'Sultanat d\'Oman'] },
  { alpha2: 'PA', alpha3: 'PAN', names: ['~Panama', 'Republic of Panama', 'République du Panama'] },
  { alpha2: 'PW', alpha3: 'PLW', names: ['~Palau', '~Palaos', 'Republic of Palau', 'République de Palau'] },
  { alpha2: 'PG', alpha3: 'PNG', names: ['Papua New Guinea', 'Papouasie-Nouvelle-Guinée', 'Independent State of Papua New Guinea', 'État indépendant de Papouasie-Nouvelle-Guinée'] },
  { alpha2: 'PR', alpha3: 'PRI', names: ['Puerto Rico', 'Porto Rico'] },
  { alpha2: 'KP', alpha3: 'PRK', names: ['North Korea', 'Corée du Nord', 'Democratic People\'s Republic of Korea', 'République démocratique populaire de Corée'] },
  { alpha2: 'PY', alpha3: 'PRY', names: ['Paraguay', 'Republic of Paraguay', 'République du Paraguay'] },
  { alpha2: 'PS', alpha3: 'PSE', names: ['State of Palestine', 'État de Palestine', 'Palestine'] },
  { alpha2: 'RW', alpha3: 'RWA', names: ['Rwanda', 'Rwandese Republic', 'République rwandaise'] },
  { alpha2: 'SD', alpha3: 'SDN', names: ['Sudan', 'Soudan', 'Republic of the Sudan', 'République du Soudan'] },
  { alpha2: 'SB', alpha3: 'SLB', names: ['Solomon Islands'] },
  { alpha2: 'SL', alpha3: 'SLE', names: ['Sierra Leone', 'Republic of Sierra Leone', 'République de Sierra Leone'] },
  { alpha2: 'SV', alpha3: 'SLV', names: ['El Salvador', '~Salvador', 'Republic of El Salvador', 'République d\'El Salvador'] },
  { alpha2: 'SO', alpha3: 'SOM', names: ['Somalia', 'Somalie', 'Federal Republic of Somalia', 'République fédérale de Somalie'] },
  { alpha2: 'SS', alpha3: 'SSD', names: ['South Sudan', 'Soudan du Sud', 'Republic of South Sudan', 'République du Soudan du Sud'] },
  { alpha2: 'ST', alpha3: 'STP', names: ['Sao Tome and Principe', 'Sao Tomé-et-Principe', 'Democratic Republic of Sao Tome and Principe', 'République démocratique de Sao Tomé et Principe'] },
  { alpha2: 'SR', alpha3: 'SUR', names: ['Suriname', '~Surinam', 'Republic of Suriname', 'République du Surinam'] },
  { alpha2: 'SZ', alpha3: 'SWZ', names: ['Eswatini', 'Kingdom of Eswatini', 'Royaume d’Eswatini'] },
  { alpha2: 'SX', alpha3: 'SXM', names: ['Sint Maarten'] },
  { alpha2: 'SC', alpha3: 'SYC', names: ['Seychelles', 'Republic of Seychelles', 'République des Seychelles'] },
  { alpha2: 'TC', alpha3: 'TCA', names: ['Turks and Caicos Islands', 'îles Turques-et-Caïques'] },
  { alpha2: 'TD', alpha3: 'TCD', names: ['~Chad', '~Tchad', 'Republic of Chad', 'République du Tchad'] },
  { alpha2: 'TG', alpha3: 'TGO', names: ['~Togo', 'Togolese Republic', 'République togolaise'] },
  { alpha2: 'TJ', alpha3: 'TJK', names: ['Tajikistan', 'Tadjikistan', 'Republic of Tajikistan', 'République du Tadjikistan'] },
  { alpha2: 'TM', alpha3: 'TKM', names: ['Turkmenistan', 'Turkménistan'] },
  { alpha2: 'TL', alpha3: 'TLS', names: ['Timor-Leste', 'Timor oriental', 'Democratic Republic of Timor-Leste', 'République démocratique du Timor-Leste'] },
  { alpha2: 'TO', alpha3: 'TON', names: ['~Tonga', 'Kingdom of Tonga', 'Royaume des Tonga'] },
  { alpha2: 'TT', alpha3: 'TTO', names: ['Trinidad and Tobago', 'Trinité-et-Tobago', 'Republic of Trinidad and Tobago', 'République de Trinité et Tobago'] },
  { alpha2: 'TV', alpha3: 'TUV', names: ['Tuvalu'] },
  { alpha2: 'TZ', alpha3: 'TZA', names: ['Tanzania', 'Tanzanie', 'United Republic of Tanzania', 'République unie de Tanzanie'] },
  { alpha2: 'UG', alpha3: 'UGA', names: ['Uganda', 'Ouganda', 'Republic of Uganda', 'République d\'Ouganda'] },
  { alpha2: 'UY', alpha3: 'URY', names: ['Uruguay', 'Eastern Republic of Uruguay', 'République orientale d\'Uruguay'] },
  { alpha2: 'VC', alpha3: 'VCT', names: ['Saint Vincent and the Grenadines', 'Saint-Vincent-et-les-Grenadines'] },
  { alpha2: 'VG', alpha3: 'VGB', names: ['British Virgin Islands', 'Îles Vierges britanniques'] },
  { alpha2: 'VI', alpha3: 'VIR', names: ['Virgin Islands of the United States', 'Îles Vierges des États-Unis d\'Amérique'] },
  { alpha2: 'VU', alpha3: 'VUT', names: ['Vanuatu', 'Republic of Vanuatu', 'République du Vanuatu'] },
  { alpha2: 'WS', alpha3: 'WSM', names: ['~Samoa', 'Independent State of Samoa', 'État indépendant de Samoa'] },
  { alpha2: 'YE', alpha3: 'YEM', names: ['Yemen', 'Yémen', 'Republic of Yemen', 'République du Yémen'] },
  { alpha2: 'ZM', alpha3: 'ZMB', names: ['Zambia', 'Zambie', 'Republic of Zambia', 'République de Zambie'] },
  { alpha2: 'ZW', alpha3: 'ZWE', names: ['Zimbabwe', 'Republic of Zimbabwe', 'République du Zimbabwe'] },
];

// Short forms accepted in running text only when printed in capitals ("UK",
// "USA"): lower-case "us" is a pronoun.
const CAPITALS_ONLY = new Set(['uk', 'u k', 'usa', 'u s a', 'uae', 'u a e', 'fyrom']);

// Alternative codes seen on EU forms and passports.
const EXTRA_ALPHA2: Record<string, string> = { UK: 'GB', EL: 'GR' };
const EXTRA_ALPHA3: Record<string, string> = { D: 'DE', RKS: 'XK', UNK: 'XK' };

/** Returns the folded word sequence of a name: "Pays-Bas" -> "pays bas". */
function toNameKey(name: string): string {
  return foldWithMap(name).folded.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

const BY_ALPHA2 = new Map<string, string>();
const BY_ALPHA3 = new Map<string, string>();
const BY_NAME = new Map<string, string>(); // every name, for whole-value lookups
const TEXT_NAMES = new Map<string, string>(); // names safe to search in running text
let maxNameWords = 1;
// First words of searchable names: most words of a page start none, so they are skipped at once.
const FIRST_WORDS = new Set<string>();
// A folded key is exact-only when any spelling of it is: "Ísland" folds to the English word "island".
const EXACT_ONLY_KEYS = new Set(
  COUNTRIES.flatMap((c) => c.names.filter((n) => n.startsWith('~')).map((n) => toNameKey(n.slice(1)))),
);
for (const c of COUNTRIES) {
  BY_ALPHA2.set(c.alpha2, c.alpha2);
  BY_ALPHA3.set(c.alpha3, c.alpha2);
  for (const raw of c.names) {
    const key = toNameKey(raw.replace(/^~/, ''));
    if (!key) continue;
    const prior = BY_NAME.get(key);
    if (prior && prior !== c.alpha2) throw new Error(`country name "${raw}" is ambiguous`);
    BY_NAME.set(key, c.alpha2);
    if (!EXACT_ONLY_KEYS.has(key)) {
      TEXT_NAMES.set(key, c.alpha2);
      FIRST_WORDS.add(key.split(' ')[0]);
      maxNameWords = Math.max(maxNameWords, key.split(' ').length);
    }
  }
}
// "The Netherlands", "the United Kingdom": the article is not part of the name.
const LEADING_ARTICLE = /^(?:the|la|le|les|el|los|las|il|lo|i|gli|o|os|as|de|het|die|der|das|l)\s+/;

/**
 * Returns the ISO 3166-1 alpha-2 code of a country name (any of the
 * supported languages), an alpha-2 code (also "UK", "EL") or an alpha-3
 * code; for a longer value ("Rome, Italy", "Italia (IT)") the code when every
 * country it names is the same one. Returns undefined when unknown or
 * ambiguous. Never throws.
 */
export function toCountryCode(name: string): string | undefined {
  if (!name) return undefined;
  const trimmed = name.trim().replace(/[.\s]+$/, '');
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const upper = trimmed.toUpperCase();
    return EXTRA_ALPHA2[upper] ?? BY_ALPHA2.get(upper) ?? BY_NAME.get(upper.toLowerCase());
  }
  if (/^[A-Za-z]{3}$/.test(trimmed)) {
    const upper = trimmed.toUpperCase();
    const byCode = BY_ALPHA3.get(upper) ?? EXTRA_ALPHA3[upper];
    if (byCode) return byCode;
  }
  const key = toNameKey(trimmed);
  const direct = BY_NAME.get(key) ?? BY_NAME.get(key.replace(LEADING_ARTICLE, ''));
  if (direct) return direct;
  const codes = new Set(findCountries(trimmed).map((c) => c.code));
  return codes.size === 1 ? [...codes][0] : undefined;
}

/**
 * Returns the alpha-2 code for an ICAO 9303 nationality/issuer code as
 * printed in a machine-readable zone ("ITA", "D<<", "GBR"), or undefined.
 */
export function mapIcaoCode(code: string): string | undefined {
  const clean = code.replace(/</g, '').toUpperCase();
  return BY_ALPHA3.get(clean) ?? EXTRA_ALPHA3[clean];
}

export interface CountryMention {
  /** ISO 3166-1 alpha-2. */
  code: string;
  /** Index in the original text. */
  index: number;
  /** The name as written. */
  raw: string;
}

const WORD_RE = /[\p{L}\p{N}]+/gu;

/**
 * Returns every country named in running text, in text order (longest name
 * at each position: "Northern Ireland" is GB, not IE). Words that are also
 * common words or first names are not searched (see '~' in the table).
 */
export function findCountries(text: string): CountryMention[] {
  if (!text) return [];
  const f = foldWithMap(text);
  const words: Array<{ w: string; s: number; e: number }> = [];
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(f.folded); m; m = WORD_RE.exec(f.folded)) {
    words.push({ w: m[0], s: m.index, e: m.index + m[0].length });
  }
  const out: CountryMention[] = [];
  for (let i = 0; i < words.length; i++) {
    if (!FIRST_WORDS.has(words[i].w)) continue;
    // Longest name starting here: extend word by word, remember the last hit.
    let hit: { code: string; n: number; key: string } | undefined;
    let key = '';
    for (let n = 1; n <= maxNameWords && i + n <= words.length; n++) {
      key = n === 1 ? words[i].w : `${key} ${words[i + n - 1].w}`;
      const code = TEXT_NAMES.get(key);
      if (code) hit = { code, n, key };
    }
    if (!hit) continue;
    const [s, e] = mapRange(f, words[i].s, words[i + hit.n - 1].e);
    const raw = text.slice(s, e);
    if (CAPITALS_ONLY.has(hit.key) && raw !== raw.toUpperCase()) continue;
    out.push({ code: hit.code, index: s, raw });
    i += hit.n - 1;
  }
  return out;
}

/** Returns the first country named in `text`, or undefined when none is. */
export function findCountryInText(text: string): CountryMention | undefined {
  return findCountries(text)[0];
}
