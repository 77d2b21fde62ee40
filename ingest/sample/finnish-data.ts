// Vocabulary for a realistic Finnish SME's customer data: names, places and the
// product range of a sauna and outdoor-living retailer that sells to homes and firms.
export const firstNames = [
  'Matti', 'Mikko', 'Jari', 'Timo', 'Juha', 'Antti', 'Janne', 'Petri', 'Ville', 'Lauri', 'Eero', 'Väinö',
  'Anna', 'Maria', 'Johanna', 'Tiina', 'Laura', 'Satu', 'Päivi', 'Riikka', 'Aino', 'Sanna', 'Elina', 'Hanna',
  'Jukka', 'Markku', 'Kari', 'Pekka', 'Heikki', 'Seppo', 'Jussi', 'Tuomas', 'Sami', 'Olli', 'Aleksi', 'Teemu',
  'Eeva', 'Kaisa', 'Minna', 'Katja', 'Outi', 'Leena', 'Sirpa', 'Merja', 'Emmi', 'Noora', 'Jenni', 'Kirsi',
  'Jyrki', 'Ilkka', 'Pentti', 'Erkki', 'Kalle', 'Onni', 'Eemeli', 'Aatu', 'Helmi', 'Ilona', 'Venla', 'Sofia',
] as const;

export const lastNames = [
  'Korhonen', 'Virtanen', 'Mäkinen', 'Nieminen', 'Mäkelä', 'Hämäläinen', 'Laine', 'Heikkinen', 'Koskinen',
  'Järvinen', 'Lehtonen', 'Lehtinen', 'Saarinen', 'Salminen', 'Heinonen', 'Niemi', 'Heikkilä', 'Kinnunen',
  'Salonen', 'Turunen', 'Salo', 'Laitinen', 'Tuominen', 'Rantanen', 'Karjalainen', 'Jokinen', 'Mattila',
  'Savolainen', 'Lahtinen', 'Ahonen', 'Kärkkäinen', 'Öhman', 'Hiltunen', 'Miettinen', 'Pitkänen', 'Anttila',
  'Leinonen', 'Hirvonen', 'Väisänen', 'Lindholm', 'Seppälä', 'Räsänen', 'Aaltonen', 'Manninen', 'Koivisto',
  'Huttunen', 'Nurmi', 'Hakala', 'Toivonen', 'Kettunen', 'Peltonen', 'Kallio', 'Vainio', 'Lindqvist', 'Kivelä',
  'Honkanen', 'Mustonen', 'Pelkonen', 'Hyvönen', 'Ketola', 'Rinne', 'Aho', 'Holmström', 'Östman', 'Sjöberg',
  'Kokkonen', 'Lampinen', 'Partanen', 'Soininen', 'Backman', 'Nyström', 'Törmänen', 'Kähkönen',
] as const;

/** The sales team and the helpdesk agents named in CRM and helpdesk records. */
export const salespeople = ['Kaisa Lehto', 'Jari Mäntylä', 'Sanna Oksanen', 'Mikko Rautio', 'Päivi Kangas', 'Timo Häkkinen'] as const;
export const helpdeskAgents = ['Noora Peltola', 'Ville Kujala', 'Emmi Salmela', 'Aleksi Björk'] as const;

export const emailProviders = ['gmail.com', 'outlook.com', 'elisanet.fi', 'luukku.com', 'hotmail.com', 'kolumbus.fi', 'icloud.com'] as const;

export const caseSubjects = {
  inquiry: ['Kysymys kiukaan tehosta', 'Toimitusaika?', 'Sopiiko lauteet pieneen saunaan', 'Tarjouspyyntö'],
  warranty: ['Kiuas ei lämpene', 'Paljun lämmitin vuotaa', 'Vastus rikki', 'Lauteissa halkeama'],
  billing: ['Lasku väärin', 'Maksumuistutus', 'Hyvityslasku puuttuu', 'Osoitteenmuutos laskulle'],
  complaint: ['Toimitus myöhässä', 'Väärä tuote toimitettu', 'Asentaja ei tullut', 'Huono palvelu'],
} as const;

/** Questions of the survey campaigns, asked in turn, each with its answer options. */
export const surveys = [
  { question: 'Mitä toivot kesämökiltäsi?', answers: ['Rauhaa ja hiljaisuutta', 'Hyvät löylyt', 'Järvinäkymä', 'Palju ja ulkoilu', 'Helppohoitoisuus'] },
  { question: 'Mikä saunassa on sinulle tärkeintä?', answers: ['Pehmeät löylyt', 'Puulämmitteinen kiuas', 'Saunan jälkeinen uinti', 'Yhdessäolo', 'Nopea lämpeneminen'] },
] as const;

export const partnerKinds = [
  ['Matkatoimisto', 'travel_agency'],
  ['Asennus', 'installer'],
  ['Jälleenmyynti', 'reseller'],
  ['Tukku', 'supplier'],
  ['Yhteistyö', 'cooperation'],
] as const;

export const socialChannels = ['facebook', 'instagram', 'x', 'linkedin', 'forum'] as const;
export const mentionTexts = {
  positive: ['Paras sauna ikinä, kiitos!', 'Uusi kiuas on mahtava', 'Nopea toimitus, suosittelen', 'Lauteet ovat upeat'],
  neutral: ['Onko teillä puukiukaita varastossa?', 'Milloin alennusmyynti alkaa?', 'Mikä kiuas sopii 8 m3 saunaan?'],
  negative: ['Tilaus myöhässä jo viikon', 'Asiakaspalvelu ei vastaa', 'Kiuas hajosi kuukaudessa', 'Lasku väärin taas'],
} as const;
/** Words people build their social media handles from ("@VihainenMatti", "@MattiSaunoo"). */
export const handleWords = ['Sauna', 'Löyly', 'Mökki', 'Vihainen', 'Iloinen', 'Kiuas', 'Järvi', 'Metsä', 'Saunoo', 'Hikinen', 'Kesä', 'Vihta'] as const;

export const companyStems = [
  'Kuusi', 'Koivu', 'Järvi', 'Harju', 'Kallio', 'Ranta', 'Niemi', 'Salmi', 'Mänty', 'Lähde', 'Kivi', 'Tunturi',
  'Aalto', 'Saari', 'Honka', 'Pihlaja', 'Revontuli', 'Metsä', 'Kataja', 'Kotka', 'Lumi', 'Paju', 'Vaahtera',
  'Kuikka', 'Joutsen', 'Kettu', 'Karhu', 'Ilves', 'Haapa', 'Tammi', 'Vuono', 'Kaisla', 'Sammal', 'Kuura',
] as const;

export const companyKinds = [
  'Mökit', 'Kiinteistöt', 'Rakennus', 'Lomakylä', 'Kylpylä', 'Hotelli', 'Taloyhtiö', 'Remontti', 'Matkailu',
] as const;

/** Legal forms, as often as they occur among small Finnish firms (Oy by far the most common). */
export const legalForms = ['Oy', 'Oy', 'Oy', 'Oy', 'Oy', 'Ky', 'Ky', 'Ab', 'Tmi', 'Tmi', 'Oyj', 'Ltd'] as const;

/** Region, city and the first two digits of its postal codes; weights follow population roughly. */
export const places = [
  { region: 'Uusimaa', city: 'Helsinki', postalPrefix: '00', weight: 30 },
  { region: 'Uusimaa', city: 'Espoo', postalPrefix: '02', weight: 10 },
  { region: 'Pirkanmaa', city: 'Tampere', postalPrefix: '33', weight: 12 },
  { region: 'Varsinais-Suomi', city: 'Turku', postalPrefix: '20', weight: 10 },
  { region: 'Pohjois-Pohjanmaa', city: 'Oulu', postalPrefix: '90', weight: 8 },
  { region: 'Keski-Suomi', city: 'Jyväskylä', postalPrefix: '40', weight: 7 },
  { region: 'Pohjois-Savo', city: 'Kuopio', postalPrefix: '70', weight: 6 },
  { region: 'Lappi', city: 'Rovaniemi', postalPrefix: '96', weight: 4 },
  { region: 'Etelä-Savo', city: 'Savonlinna', postalPrefix: '57', weight: 4 },
  { region: 'Pohjanmaa', city: 'Vaasa', postalPrefix: '65', weight: 4 },
] as const;

export const streets = ['Koulukatu', 'Rantatie', 'Kirkkokatu', 'Asematie', 'Mäkitie', 'Puistokatu', 'Koivukuja', 'Järvitie'] as const;

export interface ProductSpec {
  name: string;
  group: string;
  listPrice: number;
  /** Cost as a share of list price. */
  costShare: number;
  /** Relative popularity. */
  weight: number;
  /** Business customers buy these in quantity. */
  bulk: boolean;
}

export const productRange: readonly ProductSpec[] = [
  { name: 'Kiuas Harvia 9 kW', group: 'Kiukaat', listPrice: 689, costShare: 0.62, weight: 4, bulk: false },
  { name: 'Kiuas Tulikivi puulämmitteinen', group: 'Kiukaat', listPrice: 2490, costShare: 0.66, weight: 1, bulk: false },
  { name: 'Sähkökiuas 6 kW', group: 'Kiukaat', listPrice: 449, costShare: 0.6, weight: 5, bulk: false },
  { name: 'Kiuaskivet 20 kg', group: 'Tarvikkeet', listPrice: 39.9, costShare: 0.45, weight: 10, bulk: true },
  { name: 'Löylykauha tervaleppä', group: 'Tarvikkeet', listPrice: 24.5, costShare: 0.38, weight: 12, bulk: true },
  { name: 'Saunavihta 5 kpl', group: 'Tarvikkeet', listPrice: 19.99, costShare: 0.4, weight: 9, bulk: true },
  { name: 'Saunatuoksu eukalyptus', group: 'Tarvikkeet', listPrice: 12.9, costShare: 0.35, weight: 11, bulk: true },
  { name: 'Lauteet haapa, metri', group: 'Lauteet', listPrice: 129, costShare: 0.55, weight: 5, bulk: true },
  { name: 'Lauteet lämpökäsitelty, metri', group: 'Lauteet', listPrice: 169, costShare: 0.57, weight: 3, bulk: true },
  { name: 'Paljukylpy 6 hlö', group: 'Paljut', listPrice: 1890, costShare: 0.7, weight: 1, bulk: false },
  { name: 'Paljun lämmitin', group: 'Paljut', listPrice: 549, costShare: 0.64, weight: 1, bulk: false },
  { name: 'Pyyhe froteé 70x140', group: 'Tekstiilit', listPrice: 29.9, costShare: 0.42, weight: 8, bulk: true },
  { name: 'Saunatakki', group: 'Tekstiilit', listPrice: 59, costShare: 0.44, weight: 4, bulk: true },
  { name: 'Kiukaan asennus', group: 'Palvelut', listPrice: 320, costShare: 0.72, weight: 3, bulk: false },
  { name: 'Saunaremontti suunnittelu', group: 'Palvelut', listPrice: 480, costShare: 0.5, weight: 1, bulk: false },
  { name: 'Huoltosopimus vuosi', group: 'Palvelut', listPrice: 390, costShare: 0.35, weight: 2, bulk: false },
];

export const orderChannels = [
  ['webshop', 6],
  ['sales', 2],
  ['store', 3],
] as const;

/** Relative sales by calendar month (January = index 0): autumn sauna season, summer cottages, Christmas. */
export const monthSeasonality = [0.8, 0.7, 0.8, 0.9, 1.1, 1.3, 1.2, 0.9, 1.0, 1.2, 1.3, 1.6] as const;

export const returnReasons = ['defect', 'wrong_item', 'changed_mind', 'late_delivery', 'other'] as const;

/** Contract types with their annual value range in euros (business customers). */
export const contractTypes = [
  { type: 'maintenance', weight: 4, annualMin: 1200, annualMax: 9600 },
  { type: 'supply', weight: 3, annualMin: 3000, annualMax: 24000 },
  { type: 'rental', weight: 1, annualMin: 2400, annualMax: 12000 },
  { type: 'framework', weight: 2, annualMin: 6000, annualMax: 48000 },
] as const;

/** A consumer's contract: the yearly sauna and heater service. */
export const consumerServiceContract = { type: 'maintenance', annualValues: [290, 390] } as const;

export const accountPlanGoals = {
  contract: ['Huoltosopimuksen jatko', 'Sopimuksen laajennus uusiin kohteisiin', 'Säilyttää asiakkuus', 'Toimitusvarmuus 98 %'],
  growth: ['Kasvattaa ostoja 20 %', 'Uusi tuoteryhmä käyttöön', 'Paljut mukaan valikoimaan', 'Siirto sopimusasiakkaaksi'],
} as const;

export const activitySubjects = {
  opportunity: ['Tarjouksen läpikäynti', 'Tarjous lähetetty', 'Kohdekäynti ja mittaus', 'Neuvottelu hinnasta', 'Tilausvahvistus'],
  care: ['Huoltokäynti', 'Uutuustuotteet', 'Sopimuksen jatko', 'Vuosikatsaus', 'Reklamaation selvitys', 'Kuulumisten kysely', 'Huolto; kiuaskivien vaihto', 'Asiakas kysyi "kevättarjouksesta"'],
  prospect: ['Esittelysoitto', 'Esite lähetetty', 'Messukontakti', 'Tapaamispyyntö'],
} as const;
