/**
 * Invented applicants and colleagues, with the countries, cities and
 * institutions their documents come from. Names are common given names and
 * surnames combined at random; institutions are generic patterns; every
 * address, phone number and e-mail domain is fictitious (example.* domains,
 * 555-style numbers).
 */
import { addDays, makeYmd, pickDateBetween, type DocLang, type Ymd } from './dates';
import type { Rng } from './random';

export interface City {
  name: string; // as printed locally
  en: string; // as an English text writes it
  zip: string;
  /** Greek genitive / Polish locative, for institution names that decline it. */
  inflected?: string;
}

export interface Institution {
  native: string;
  en: string;
}

export interface CountryInfo {
  code: string; // ISO 3166-1 alpha-2
  mrz: string; // ICAO 9303 code (Germany is "D")
  en: string;
  native: string;
  nationality: string; // English adjective
  langs: DocLang[]; // languages its documents are issued in, most common first
  tld: string;
  phone: string; // country calling code
  utcOffsetWinter: number;
  cities: City[];
  hospitals: Array<(c: City) => Institution>;
  universities: Array<(c: City) => Institution>;
  female: string[];
  male: string[];
  /** A surname, or [masculine, feminine] where the language inflects it. */
  surnames: Array<string | [string, string]>;
  passportNumber: (rng: Rng) => string;
}

const same = (s: string): Institution => ({ native: s, en: s });

export const COUNTRIES: Record<string, CountryInfo> = {
  IT: {
    code: 'IT', mrz: 'ITA', en: 'Italy', native: 'Italia', nationality: 'Italian', langs: ['it'], tld: 'it', phone: '+39',
    utcOffsetWinter: 1,
    cities: [
      { name: 'Milano', en: 'Milan', zip: '20122' }, { name: 'Roma', en: 'Rome', zip: '00161' },
      { name: 'Torino', en: 'Turin', zip: '10126' }, { name: 'Bologna', en: 'Bologna', zip: '40138' },
      { name: 'Padova', en: 'Padua', zip: '35128' }, { name: 'Napoli', en: 'Naples', zip: '80131' },
      { name: 'Firenze', en: 'Florence', zip: '50134' }, { name: 'Pisa', en: 'Pisa', zip: '56124' },
    ],
    hospitals: [
      (c) => ({ native: `Azienda Ospedaliero-Universitaria di ${c.name}`, en: `University Hospital of ${c.en}` }),
      (c) => ({ native: `Ospedale Santa Caterina, ${c.name}`, en: `Santa Caterina Hospital, ${c.en}` }),
      (c) => ({ native: `Istituto Oncologico di ${c.name}`, en: `Oncology Institute of ${c.en}` }),
    ],
    universities: [(c) => ({ native: `Università degli Studi di ${c.name}`, en: `University of ${c.en}` })],
    female: ['Giulia', 'Francesca', 'Chiara', 'Sara', 'Martina', 'Federica', 'Ilaria', 'Valentina', 'Elisa'],
    male: ['Marco', 'Luca', 'Alessandro', 'Matteo', 'Davide', 'Niccolò', 'Andrea', 'Stefano', 'Lorenzo'],
    surnames: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'De Luca', "D'Angelo", 'Fabbri', 'Galli', 'Lombardi', 'Mancini'],
    passportNumber: (r) => r.letters(2) + r.digits(7),
  },
  DE: {
    code: 'DE', mrz: 'D', en: 'Germany', native: 'Deutschland', nationality: 'German', langs: ['de'], tld: 'de', phone: '+49',
    utcOffsetWinter: 1,
    cities: [
      { name: 'München', en: 'Munich', zip: '81377' }, { name: 'Berlin', en: 'Berlin', zip: '10117' },
      { name: 'Heidelberg', en: 'Heidelberg', zip: '69120' }, { name: 'Hamburg', en: 'Hamburg', zip: '20246' },
      { name: 'Köln', en: 'Cologne', zip: '50937' }, { name: 'Leipzig', en: 'Leipzig', zip: '04103' },
      { name: 'Tübingen', en: 'Tübingen', zip: '72076' }, { name: 'Freiburg', en: 'Freiburg', zip: '79106' },
    ],
    hospitals: [
      (c) => ({ native: `Universitätsklinikum ${c.name}`, en: `University Hospital ${c.en}` }),
      (c) => ({ native: `Klinikum ${c.name}-Nord`, en: `Klinikum ${c.name}-Nord` }),
      (c) => ({ native: `St.-Elisabeth-Krankenhaus ${c.name}`, en: `St. Elisabeth Hospital, ${c.en}` }),
    ],
    universities: [(c) => ({ native: `Universität ${c.name}, Medizinische Fakultät`, en: `University of ${c.en}, Faculty of Medicine` })],
    female: ['Anna', 'Katharina', 'Lena', 'Sophie', 'Julia', 'Miriam', 'Jana', 'Franziska', 'Theresa'],
    male: ['Lukas', 'Jonas', 'Felix', 'Maximilian', 'Tobias', 'Florian', 'Jörg', 'Sebastian', 'Moritz'],
    surnames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Becker', 'Hoffmann', 'Schäfer', 'Köhler', 'Weiß', 'Groß', 'Brandstätter', 'Neumann', 'Krüger'],
    passportNumber: (r) => r.letters(1, 'CFGHJK') + r.letters(8, 'CFGHJKLMNPRTVWXYZ0123456789'),
  },
  AT: {
    code: 'AT', mrz: 'AUT', en: 'Austria', native: 'Österreich', nationality: 'Austrian', langs: ['de'], tld: 'at', phone: '+43',
    utcOffsetWinter: 1,
    cities: [
      { name: 'Wien', en: 'Vienna', zip: '1090' }, { name: 'Graz', en: 'Graz', zip: '8036' },
      { name: 'Innsbruck', en: 'Innsbruck', zip: '6020' }, { name: 'Linz', en: 'Linz', zip: '4020' },
    ],
    hospitals: [
      (c) => ({ native: `Universitätsklinikum ${c.name}`, en: `University Hospital ${c.en}` }),
      (c) => ({ native: `Landeskrankenhaus ${c.name}`, en: `Regional Hospital ${c.en}` }),
    ],
    universities: [(c) => ({ native: `Medizinische Universität ${c.name}`, en: `Medical University of ${c.en}` })],
    female: ['Lisa', 'Magdalena', 'Katrin', 'Verena', 'Johanna', 'Elisabeth'],
    male: ['Stefan', 'Christoph', 'Michael', 'Bernhard', 'Georg', 'Philipp'],
    surnames: ['Gruber', 'Huber', 'Bauer', 'Wagner', 'Pichler', 'Steiner', 'Moser', 'Hofer', 'Leitner', 'Eder'],
    passportNumber: (r) => r.letters(1, 'PU') + r.digits(7),
  },
  ES: {
    code: 'ES', mrz: 'ESP', en: 'Spain', native: 'España', nationality: 'Spanish', langs: ['es'], tld: 'es', phone: '+34',
    utcOffsetWinter: 1,
    cities: [
      { name: 'Madrid', en: 'Madrid', zip: '28034' }, { name: 'Barcelona', en: 'Barcelona', zip: '08035' },
      { name: 'Valencia', en: 'Valencia', zip: '46026' }, { name: 'Sevilla', en: 'Seville', zip: '41013' },
      { name: 'Pamplona', en: 'Pamplona', zip: '31008' }, { name: 'Salamanca', en: 'Salamanca', zip: '37007' },
    ],
    hospitals: [
      (c) => ({ native: `Hospital Universitario de ${c.name}`, en: `University Hospital of ${c.en}` }),
      (c) => ({ native: `Hospital General San Rafael, ${c.name}`, en: `San Rafael General Hospital, ${c.en}` }),
      (c) => ({ native: `Hospital Clínico de ${c.name}`, en: `Hospital Clínico de ${c.en}` }),
    ],
    universities: [(c) => ({ native: `Universidad de ${c.name}`, en: `University of ${c.en}` })],
    female: ['María José', 'Lucía', 'Carmen', 'Laura', 'Marta', 'Paula', 'Nuria', 'Elena', 'Cristina'],
    male: ['Javier', 'Alejandro', 'Pablo', 'Sergio', 'Álvaro', 'Jorge', 'Íñigo', 'Daniel', 'Rubén'],
    surnames: ['García López', 'Fernández Ruiz', 'Martínez Sánchez', 'Rodríguez Gómez', 'Pérez Muñoz', 'Núñez Ortega', 'Castaño Ibáñez', 'Moreno Díaz', 'Jiménez Romero'],
    passportNumber: (r) => r.letters(3) + r.digits(6),
  },
  PT: {
    code: 'PT', mrz: 'PRT', en: 'Portugal', native: 'Portugal', nationality: 'Portuguese', langs: ['pt'], tld: 'pt', phone: '+351',
    utcOffsetWinter: 0,
    cities: [
      { name: 'Lisboa', en: 'Lisbon', zip: '1649-035' }, { name: 'Porto', en: 'Porto', zip: '4200-319' },
      { name: 'Coimbra', en: 'Coimbra', zip: '3000-075' }, { name: 'Braga', en: 'Braga', zip: '4710-243' },
    ],
    hospitals: [
      (c) => ({ native: `Centro Hospitalar Universitário de ${c.name}`, en: `University Hospital Centre of ${c.en}` }),
      (c) => ({ native: `Instituto de Oncologia de ${c.name}`, en: `Oncology Institute of ${c.en}` }),
    ],
    universities: [(c) => ({ native: `Faculdade de Medicina da Universidade de ${c.name}`, en: `Faculty of Medicine, University of ${c.en}` })],
    female: ['Ana', 'Inês', 'Beatriz', 'Mariana', 'Joana', 'Catarina', 'Rita'],
    male: ['João', 'Tiago', 'Rui', 'Gonçalo', 'Miguel', 'Duarte', 'Pedro'],
    surnames: ['Silva Santos', 'Ferreira', 'Costa Pereira', 'Oliveira', 'Rodrigues Sousa', 'Gonçalves', 'Martins Lopes', 'Carvalho', 'Magalhães'],
    passportNumber: (r) => r.letters(1) + r.digits(6),
  },
  NL: {
    code: 'NL', mrz: 'NLD', en: 'the Netherlands', native: 'Nederland', nationality: 'Dutch', langs: ['nl'], tld: 'nl', phone: '+31',
    utcOffsetWinter: 1,
    cities: [
      { name: 'Amsterdam', en: 'Amsterdam', zip: '1081 HV' }, { name: 'Rotterdam', en: 'Rotterdam', zip: '3015 GD' },
      { name: 'Utrecht', en: 'Utrecht', zip: '3584 CX' }, { name: 'Leiden', en: 'Leiden', zip: '2333 ZA' },
      { name: 'Nijmegen', en: 'Nijmegen', zip: '6525 GA' }, { name: 'Groningen', en: 'Groningen', zip: '9713 GZ' },
    ],
    hospitals: [
      (c) => ({ native: `Universitair Medisch Centrum ${c.name}`, en: `University Medical Centre ${c.en}` }),
      (c) => ({ native: `Ziekenhuis ${c.name} West`, en: `${c.en} West Hospital` }),
    ],
    universities: [(c) => ({ native: `Universiteit ${c.name}`, en: `University of ${c.en}` })],
    female: ['Sanne', 'Lotte', 'Anouk', 'Femke', 'Eva', 'Marloes', 'Iris'],
    male: ['Daan', 'Bram', 'Thijs', 'Joost', 'Sander', 'Ruben', 'Wouter'],
    surnames: ['de Vries', 'van den Berg', 'Jansen', 'Bakker', 'Visser', 'Smit', 'van Dijk', 'de Jong', 'Mulder', 'van der Meer'],
    passportNumber: (r) => r.letters(2) + r.letters(6, 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789') + r.digits(1),
  },
  BE: {
    code: 'BE', mrz: 'BEL', en: 'Belgium', native: 'Belgique', nationality: 'Belgian', langs: ['fr', 'nl'], tld: 'be', phone: '+32',
    utcOffsetWinter: 1,
    cities: [
      { name: 'Bruxelles', en: 'Brussels', zip: '1200' }, { name: 'Leuven', en: 'Leuven', zip: '3000' },
      { name: 'Gent', en: 'Ghent', zip: '9000' }, { name: 'Liège', en: 'Liège', zip: '4000' },
      { name: 'Antwerpen', en: 'Antwerp', zip: '2650' }, { name: 'Namur', en: 'Namur', zip: '5000' },
    ],
    hospitals: [
      (c) => ({ native: `Cliniques universitaires de ${c.name}`, en: `University Clinics of ${c.en}` }),
      (c) => ({ native: `Centre hospitalier régional de ${c.name}`, en: `Regional Hospital Centre of ${c.en}` }),
      (c) => ({ native: `AZ Sint-Jan ${c.name}`, en: `AZ Sint-Jan ${c.en}` }),
    ],
    universities: [(c) => ({ native: `Université de ${c.name}`, en: `University of ${c.en}` })],
    female: ['Camille', 'Charlotte', 'Élise', 'Marie', 'Louise', 'Lies', 'Annelies'],
    male: ['Julien', 'Maxime', 'Thomas', 'Arnaud', 'Pieter', 'Jeroen', 'Nicolas'],
    surnames: ['Peeters', 'Janssens', 'Maes', 'Dubois', 'Lambert', 'Dupont', 'Claes', 'Wouters', 'Lejeune', 'Vandenbroucke'],
    passportNumber: (r) => r.letters(2) + r.digits(6),
  },
  CH: {
    code: 'CH', mrz: 'CHE', en: 'Switzerland', native: 'Suisse', nationality: 'Swiss', langs: ['fr', 'de'], tld: 'ch', phone: '+41',
    utcOffsetWinter: 1,
    cities: [
      { name: 'Genève', en: 'Geneva', zip: '1205' }, { name: 'Lausanne', en: 'Lausanne', zip: '1011' },
      { name: 'Zürich', en: 'Zurich', zip: '8091' }, { name: 'Bern', en: 'Bern', zip: '3010' },
      { name: 'Basel', en: 'Basel', zip: '4031' },
    ],
    hospitals: [
      (c) => ({ native: `Hôpitaux universitaires de ${c.name}`, en: `University Hospitals of ${c.en}` }),
      (c) => ({ native: `Kantonsspital ${c.name}`, en: `Cantonal Hospital ${c.en}` }),
    ],
    universities: [(c) => ({ native: `Université de ${c.name}`, en: `University of ${c.en}` })],
    female: ['Laura', 'Noémie', 'Lea', 'Céline', 'Nadine', 'Séverine'],
    male: ['Luca', 'Nicolas', 'Simon', 'Raphaël', 'Reto', 'Cédric'],
    surnames: ['Meier', 'Keller', 'Favre', 'Rochat', 'Brunner', 'Baumann', 'Zürcher', 'Gerber'],
    passportNumber: (r) => r.letters(1) + r.digits(7),
  },
  PL: {
    code: 'PL', mrz: 'POL', en: 'Poland', native: 'Polska', nationality: 'Polish', langs: ['pl'], tld: 'pl', phone: '+48',
    utcOffsetWinter: 1,
    cities: [
      { name: 'Warszawa', en: 'Warsaw', zip: '02-097', inflected: 'Warszawie' },
      { name: 'Kraków', en: 'Krakow', zip: '31-501', inflected: 'Krakowie' },
      { name: 'Gdańsk', en: 'Gdansk', zip: '80-214', inflected: 'Gdańsku' },
      { name: 'Wrocław', en: 'Wroclaw', zip: '50-556', inflected: 'Wrocławiu' },
      { name: 'Poznań', en: 'Poznan', zip: '60-355', inflected: 'Poznaniu' },
      { name: 'Łódź', en: 'Lodz', zip: '90-419', inflected: 'Łodzi' },
    ],
    hospitals: [
      (c) => ({ native: `Uniwersytecki Szpital Kliniczny w ${c.inflected}`, en: `University Clinical Hospital, ${c.en}` }),
      (c) => ({ native: `Centrum Onkologii w ${c.inflected}`, en: `Oncology Centre, ${c.en}` }),
    ],
    universities: [(c) => ({ native: `Uniwersytet Medyczny w ${c.inflected}`, en: `Medical University of ${c.en}` })],
    female: ['Agnieszka', 'Katarzyna', 'Małgorzata', 'Joanna', 'Magdalena', 'Zofia', 'Aleksandra'],
    male: ['Piotr', 'Tomasz', 'Paweł', 'Michał', 'Krzysztof', 'Łukasz', 'Bartosz'],
    surnames: [['Kowalski', 'Kowalska'], ['Wiśniewski', 'Wiśniewska'], ['Zieliński', 'Zielińska'], 'Nowak', 'Wójcik', ['Kamiński', 'Kamińska'], ['Lewandowski', 'Lewandowska'], ['Dąbrowski', 'Dąbrowska'], ['Szymański', 'Szymańska']],
    passportNumber: (r) => r.letters(2) + r.digits(7),
  },
  GR: {
    code: 'GR', mrz: 'GRC', en: 'Greece', native: 'Ελλάδα', nationality: 'Greek', langs: ['el'], tld: 'gr', phone: '+30',
    utcOffsetWinter: 2,
    cities: [
      { name: 'Αθήνα', en: 'Athens', zip: '115 27', inflected: 'Αθηνών' },
      { name: 'Θεσσαλονίκη', en: 'Thessaloniki', zip: '546 36', inflected: 'Θεσσαλονίκης' },
      { name: 'Πάτρα', en: 'Patras', zip: '265 04', inflected: 'Πατρών' },
      { name: 'Ηράκλειο', en: 'Heraklion', zip: '711 10', inflected: 'Ηρακλείου' },
      { name: 'Ιωάννινα', en: 'Ioannina', zip: '455 00', inflected: 'Ιωαννίνων' },
    ],
    hospitals: [
      (c) => ({ native: `Πανεπιστημιακό Γενικό Νοσοκομείο ${c.inflected}`, en: `University General Hospital of ${c.en}` }),
      (c) => ({ native: `Αντικαρκινικό Νοσοκομείο ${c.inflected}`, en: `Cancer Hospital of ${c.en}` }),
    ],
    universities: [(c) => ({ native: `Ιατρική Σχολή, Πανεπιστήμιο ${c.inflected}`, en: `School of Medicine, University of ${c.en}` })],
    female: ['Μαρία|Maria', 'Ελένη|Eleni', 'Αικατερίνη|Aikaterini', 'Σοφία|Sofia', 'Δήμητρα|Dimitra', 'Βασιλική|Vasiliki'],
    male: ['Γεώργιος|Georgios', 'Δημήτριος|Dimitrios', 'Νικόλαος|Nikolaos', 'Κωνσταντίνος|Konstantinos', 'Ιωάννης|Ioannis', 'Αθανάσιος|Athanasios'],
    surnames: [
      ['Παπαδόπουλος|Papadopoulos', 'Παπαδοπούλου|Papadopoulou'], 'Γεωργίου|Georgiou', 'Νικολάου|Nikolaou', 'Οικονόμου|Oikonomou',
      ['Καραγιάννης|Karagiannis', 'Καραγιάννη|Karagianni'], 'Βασιλείου|Vasileiou', ['Μακρής|Makris', 'Μακρή|Makri'], 'Αντωνίου|Antoniou',
    ],
    passportNumber: (r) => r.letters(2) + r.digits(7),
  },
  RO: {
    code: 'RO', mrz: 'ROU', en: 'Romania', native: 'România', nationality: 'Romanian', langs: ['ro'], tld: 'ro', phone: '+40',
    utcOffsetWinter: 2,
    cities: [
      { name: 'București', en: 'Bucharest', zip: '050474' }, { name: 'Cluj-Napoca', en: 'Cluj-Napoca', zip: '400006' },
      { name: 'Iași', en: 'Iasi', zip: '700115' }, { name: 'Timișoara', en: 'Timisoara', zip: '300041' },
      { name: 'Târgu Mureș', en: 'Targu Mures', zip: '540139' },
    ],
    hospitals: [
      (c) => ({ native: `Spitalul Clinic Județean de Urgență ${c.name}`, en: `County Emergency Clinical Hospital ${c.en}` }),
      (c) => ({ native: `Institutul Oncologic ${c.name}`, en: `Oncology Institute ${c.en}` }),
    ],
    universities: [(c) => ({ native: `Universitatea de Medicină și Farmacie din ${c.name}`, en: `University of Medicine and Pharmacy, ${c.en}` })],
    female: ['Ioana', 'Andreea', 'Elena', 'Mihaela', 'Alexandra', 'Ștefania', 'Raluca'],
    male: ['Andrei', 'Mihai', 'Alexandru', 'Ștefan', 'Bogdan', 'Radu', 'Cătălin'],
    surnames: ['Popescu', 'Ionescu', 'Popa', 'Constantinescu', 'Dumitrescu', 'Stănescu', 'Georgescu', 'Munteanu', 'Rădulescu', 'Țurcanu'],
    passportNumber: (r) => r.digits(8),
  },
  GB: {
    code: 'GB', mrz: 'GBR', en: 'the United Kingdom', native: 'United Kingdom', nationality: 'British', langs: ['en'], tld: 'co.uk', phone: '+44',
    utcOffsetWinter: 0,
    cities: [
      { name: 'London', en: 'London', zip: 'SE1 7EH' }, { name: 'Manchester', en: 'Manchester', zip: 'M13 9WL' },
      { name: 'Leeds', en: 'Leeds', zip: 'LS9 7TF' }, { name: 'Oxford', en: 'Oxford', zip: 'OX3 9DU' },
      { name: 'Edinburgh', en: 'Edinburgh', zip: 'EH16 4SA' },
    ],
    hospitals: [
      (c) => same(`${c.en} Royal Infirmary`),
      (c) => same(`St Mary's Hospital, ${c.en}`),
      (c) => same(`${c.en} University Hospitals NHS Foundation Trust`),
    ],
    universities: [(c) => same(`University of ${c.en}`)],
    female: ['Emily', 'Charlotte', 'Hannah', 'Sarah', 'Rebecca', 'Eleanor'],
    male: ['James', 'Oliver', 'Thomas', 'Daniel', 'William', 'Harry'],
    surnames: ['Clarke', 'Hughes', 'Bennett', 'Morgan', 'Walsh', 'Patel', 'Turner', 'Fletcher'],
    passportNumber: (r) => r.digits(9),
  },
  IE: {
    code: 'IE', mrz: 'IRL', en: 'Ireland', native: 'Éire', nationality: 'Irish', langs: ['en'], tld: 'ie', phone: '+353',
    utcOffsetWinter: 0,
    cities: [
      { name: 'Dublin', en: 'Dublin', zip: 'D04 T6F4' }, { name: 'Cork', en: 'Cork', zip: 'T12 DC4A' },
      { name: 'Galway', en: 'Galway', zip: 'H91 YR71' },
    ],
    hospitals: [(c) => same(`St Brigid's University Hospital, ${c.en}`), (c) => same(`${c.en} University Hospital`)],
    universities: [(c) => same(`University College ${c.en}`)],
    female: ['Aoife', 'Siobhán', 'Niamh', 'Róisín', 'Ciara'],
    male: ['Ciarán', 'Seán', 'Cathal', 'Eoin', 'Darragh'],
    surnames: ['Murphy', "O'Brien", 'Kelly', 'Byrne', "O'Connor", 'Gallagher', 'Doyle'],
    passportNumber: (r) => r.letters(2) + r.digits(7),
  },
  FR: {
    code: 'FR', mrz: 'FRA', en: 'France', native: 'France', nationality: 'French', langs: ['fr'], tld: 'fr', phone: '+33',
    utcOffsetWinter: 1,
    cities: [
      { name: 'Lyon', en: 'Lyon', zip: '69003' }, { name: 'Marseille', en: 'Marseille', zip: '13005' },
      { name: 'Lille', en: 'Lille', zip: '59037' }, { name: 'Bordeaux', en: 'Bordeaux', zip: '33076' },
      { name: 'Toulouse', en: 'Toulouse', zip: '31059' }, { name: 'Nantes', en: 'Nantes', zip: '44093' },
      { name: 'Strasbourg', en: 'Strasbourg', zip: '67091' },
    ],
    hospitals: [
      (c) => ({ native: `Centre hospitalier universitaire de ${c.name}`, en: `University Hospital of ${c.en}` }),
      (c) => ({ native: `Centre de lutte contre le cancer de ${c.name}`, en: `Comprehensive Cancer Centre of ${c.en}` }),
    ],
    universities: [(c) => ({ native: `Université de ${c.name}`, en: `University of ${c.en}` })],
    female: ['Camille', 'Claire', 'Pauline', 'Mathilde', 'Hélène', 'Amélie'],
    male: ['Antoine', 'Julien', 'Guillaume', 'Mathieu', 'Théo', 'Benoît'],
    surnames: ['Martin', 'Bernard', 'Lefèvre', 'Moreau', 'Girard', 'Rousseau', 'Fontaine', 'Chevalier', 'Garnier'],
    passportNumber: (r) => r.digits(2) + r.letters(2) + r.digits(5),
  },
};

/** Countries an eligible applicant may come from (anything but the host, France). */
export const APPLICANT_COUNTRY_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['IT', 16], ['DE', 11], ['ES', 11], ['PT', 7], ['GR', 8], ['RO', 7], ['PL', 7], ['NL', 6], ['BE', 6], ['AT', 4], ['CH', 4], ['GB', 5], ['IE', 3],
];

export interface PersonName {
  first: string;
  last: string;
  /** Latin-script forms (differ from the above only for Greek). */
  firstLatin: string;
  lastLatin: string;
}

export interface Colleague {
  name: PersonName;
  sex: 'F' | 'M';
  title: string; // "Prof. Dr.", "Dr.", ...
  position: string; // English
  institution: Institution;
  city: City;
  country: CountryInfo;
  email: string;
  phone: string;
}

export interface Applicant {
  name: PersonName;
  sex: 'F' | 'M';
  dob: Ymd;
  birthCity: City;
  nationality: CountryInfo;
  /** Country that issued the degree and the board certificate. */
  training: CountryInfo;
  trainingCity: City;
  university: Institution;
  residence: CountryInfo;
  residenceCity: City;
  street: string;
  work: CountryInfo;
  workCity: City;
  institution: Institution;
  position: string;
  /** Language the applicant writes in when not writing English. */
  lang: DocLang;
  email: string;
  phone: string;
  esrNumber: string;
  head: Colleague; // head of department, writes the first recommendation
}

export function splitLocalised(value: string): [string, string] {
  const [native, latin] = value.split('|');
  return [native, latin ?? native];
}

export function fullName(n: PersonName, latin = false): string {
  return latin ? `${n.firstLatin} ${n.lastLatin}` : `${n.first} ${n.last}`;
}

/** ASCII form for e-mail addresses and file names. */
export function asciiFold(value: string): string {
  return value
    .replace(/ß/g, 'ss').replace(/Æ/g, 'AE').replace(/æ/g, 'ae').replace(/Ø/g, 'O').replace(/ø/g, 'o')
    .replace(/Ł/g, 'L').replace(/ł/g, 'l').replace(/Đ/g, 'D').replace(/đ/g, 'd')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function pickName(rng: Rng, country: CountryInfo, sex: 'F' | 'M'): PersonName {
  const [first, firstLatin] = splitLocalised(rng.pick(sex === 'F' ? country.female : country.male));
  const surname = rng.pick(country.surnames);
  const chosen = typeof surname === 'string' ? surname : sex === 'M' ? surname[0] : surname[1];
  const [last, lastLatin] = splitLocalised(chosen);
  return { first, last, firstLatin, lastLatin };
}

function pickPhone(rng: Rng, country: CountryInfo): string {
  // 555 blocks keep the numbers obviously fictitious.
  return `${country.phone} ${rng.int(10, 99)} 555 ${rng.digits(4)}`;
}

function pickEmail(rng: Rng, name: PersonName, country: CountryInfo, institutional: boolean): string {
  const first = asciiFold(name.firstLatin).toLowerCase().replace(/[^a-z]/g, '');
  const last = asciiFold(name.lastLatin).toLowerCase().replace(/[^a-z]/g, '');
  const local = rng.pick([`${first}.${last}`, `${first[0]}.${last}`, `${first}${last}`, `${last}.${first}`, `${first}.${last}${rng.int(80, 95)}`]);
  const domain = institutional
    ? rng.pick([`example.${country.tld}`, `hospital.example.${country.tld}`, `radiology.example.${country.tld}`, `uni.example.${country.tld}`])
    : rng.pick(['example.com', 'mail.example.com', 'example.net', `example.${country.tld}`]);
  return `${local}@${domain}`;
}

const STREETS: Record<string, string[]> = {
  IT: ['Via Garibaldi', 'Via Roma', 'Corso Vittorio Emanuele', 'Via dei Mille'],
  DE: ['Hauptstraße', 'Lindenallee', 'Schillerstraße', 'Goethestraße'],
  AT: ['Mariahilfer Gasse', 'Lindengasse', 'Hauptplatz'],
  ES: ['Calle Mayor', 'Avenida de la Constitución', 'Calle del Prado'],
  PT: ['Rua Augusta', 'Avenida da Liberdade', 'Rua das Flores'],
  NL: ['Kerkstraat', 'Dorpsstraat', 'Stationsweg'],
  BE: ['Rue de la Loi', 'Avenue Louise', 'Bondgenotenlaan'],
  CH: ['Rue du Rhône', 'Bahnhofstrasse', 'Avenue de la Gare'],
  PL: ['ul. Marszałkowska', 'ul. Długa', 'ul. Piotrkowska'],
  GR: ['Οδός Ερμού', 'Λεωφόρος Αλεξάνδρας', 'Οδός Πατησίων'],
  RO: ['Strada Lipscani', 'Bulevardul Unirii', 'Strada Memorandumului'],
  GB: ['High Street', 'Station Road', 'Victoria Road'],
  IE: ['Main Street', 'Grafton Street', 'Church Road'],
  FR: ['rue de la République', 'avenue Jean-Jaurès', 'boulevard Victor-Hugo'],
};

export function pickStreet(rng: Rng, country: CountryInfo): string {
  const name = rng.pick(STREETS[country.code] ?? STREETS.GB);
  return country.code === 'GB' || country.code === 'IE' || country.code === 'FR' ? `${rng.int(2, 98)} ${name}` : `${name} ${rng.int(2, 98)}`;
}

const POSITIONS = [
  'Consultant radiologist',
  'Radiologist',
  'Attending radiologist',
  'Junior consultant radiologist',
  'Specialist in radiology',
  'Radiologist and clinical research fellow',
  'Staff radiologist, oncologic imaging unit',
];

export function createColleague(rng: Rng, country: CountryInfo, city: City, institution: Institution, role: 'head' | 'referee', avoidSurname?: string): Colleague {
  const sex = rng.chance(0.45) ? 'F' : 'M';
  let name = pickName(rng, country, sex);
  for (let i = 0; i < 10 && name.lastLatin === avoidSurname; i++) name = pickName(rng, country, sex);
  const title = rng.pick(country.code === 'DE' || country.code === 'AT' ? ['Prof. Dr. med.', 'Prof. Dr.', 'PD Dr. med.'] : ['Prof.', 'Prof. Dr.', 'Dr.']);
  const position =
    role === 'head'
      ? rng.pick(['Head of the Department of Radiology', 'Head of Department, Diagnostic and Interventional Radiology', 'Chair, Department of Radiology and Nuclear Medicine', 'Director, Institute of Diagnostic Radiology'])
      : rng.pick(['Head of Nuclear Medicine', 'Consultant Radiologist, Oncologic Imaging', 'Professor of Radiology', 'Head of PET/CT Unit', 'Programme Director, Radiology Residency', 'Senior Consultant, Abdominal Imaging']);
  return { name, sex, title, position, institution, city, country, email: pickEmail(rng, name, country, true), phone: pickPhone(rng, country) };
}

export interface ApplicantOptions {
  /** Where the applicant lives and works; defaults to a weighted non-French country. */
  country?: string;
  /** Overrides for the same-country scenario. */
  residence?: string;
  work?: string;
  nationality?: string;
  training?: string;
}

export function createApplicant(rng: Rng, options: ApplicantOptions = {}): Applicant {
  const home = COUNTRIES[options.country ?? rng.pickWeighted(APPLICANT_COUNTRY_WEIGHTS)];
  const nationality = COUNTRIES[options.nationality ?? home.code];
  const training = COUNTRIES[options.training ?? nationality.code];
  const residence = COUNTRIES[options.residence ?? home.code];
  const work = COUNTRIES[options.work ?? home.code];
  const sex = rng.chance(0.55) ? 'F' : 'M';
  const name = pickName(rng, nationality, sex);
  const workCity = rng.pick(work.cities);
  const residenceCity = residence === work ? workCity : rng.pick(residence.cities);
  const trainingCity = training === work ? workCity : rng.pick(training.cities);
  const institution = rng.pick(work.hospitals)(workCity);
  const university = rng.pick(training.universities)(rng.chance(0.6) ? trainingCity : rng.pick(training.cities));
  const dob = pickDateBetween(rng, makeYmd(1984, 1, 1), makeYmd(1991, 12, 31));
  const lang = rng.pick(nationality.langs);
  const head = createColleague(rng.fork('head'), work, workCity, institution, 'head', name.lastLatin);
  return {
    name,
    sex,
    dob,
    birthCity: rng.pick(nationality.cities),
    nationality,
    training,
    trainingCity,
    university,
    residence,
    residenceCity,
    street: pickStreet(rng, residence),
    work,
    workCity,
    institution,
    position: rng.pick(POSITIONS),
    lang,
    email: pickEmail(rng, name, residence, rng.chance(0.35)),
    phone: pickPhone(rng, residence),
    esrNumber: rng.pick([rng.digits(6), rng.digits(7), `M${rng.digits(6)}`]),
    head,
  };
}

/** A short honorific + surname for salutations and letters. */
export function honorific(person: { sex: 'F' | 'M'; name: PersonName }, lang: DocLang): string {
  const last = person.name.last;
  switch (lang) {
    case 'fr':
      return `${person.sex === 'F' ? 'Madame le Docteur' : 'Monsieur le Docteur'} ${last}`;
    case 'de':
      return `${person.sex === 'F' ? 'Frau Dr. med.' : 'Herr Dr. med.'} ${last}`;
    case 'it':
      return `${person.sex === 'F' ? 'la Dott.ssa' : 'il Dott.'} ${last}`;
    case 'es':
      return `${person.sex === 'F' ? 'la Dra.' : 'el Dr.'} ${last}`;
    case 'pt':
      return `${person.sex === 'F' ? 'a Dra.' : 'o Dr.'} ${last}`;
    default:
      return `Dr ${last}`;
  }
}

/** Date of graduation and of board certification consistent with the date of birth. */
export function pickCareerDates(rng: Rng, dob: Ymd, boardDate: Ymd): { graduation: Ymd; residencyStart: Ymd } {
  const residencyStart = addDays(boardDate, -rng.int(4 * 365 + 30, 5 * 365 + 60));
  const graduation = addDays(residencyStart, -rng.int(60, 500));
  // Keep graduation at a plausible age (>= 23) even for late board certifications.
  const minGraduation = makeYmd(dob.y + 23, dob.m, Math.min(dob.d, 28));
  return { graduation: graduation.y < minGraduation.y ? minGraduation : graduation, residencyStart };
}
