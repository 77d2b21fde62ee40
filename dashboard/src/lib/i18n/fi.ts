// Finnish messages: the same keys as en.ts.
import type { Messages } from './en.ts';

export const fi = {
  'app.name': 'Asiakkuus',
  'app.tagline': 'Asiakkuusanalytiikka',
  'app.skipToContent': 'Siirry sisältöön',

  'header.signedInAs': 'Kirjautunut käyttäjä',
  'header.signOut': 'Kirjaudu ulos',
  'header.language': 'Kieli',

  'role.finance': 'Talous',
  'role.management': 'Johto',
  'role.marketing': 'Markkinointi',

  'signIn.title': 'Kirjaudu sisään',
  'signIn.intro': 'Kirjaudu Asiakkuus-tunnuksellasi.',
  'signIn.username': 'Käyttäjätunnus',
  'signIn.password': 'Salasana',
  'signIn.submit': 'Kirjaudu',
  'signIn.submitting': 'Kirjaudutaan…',
  'signIn.wrongCredentials': 'Väärä käyttäjätunnus tai salasana.',
  'signIn.sessionEnded': 'Istuntosi on päättynyt. Kirjaudu uudelleen.',
  'signIn.failed': 'Kirjautuminen epäonnistui: {message}',

  'state.loading': 'Ladataan…',
  'state.empty': 'Ei vielä näytettäviä tietoja.',
  'state.error': 'Tietoja ei voitu ladata.',
  'state.networkError': 'Palvelimeen ei saatu yhteyttä. Tarkista verkkoyhteys ja yritä uudelleen.',
  'state.retry': 'Yritä uudelleen',

  'finance.title': 'Talouden yleiskuva',
  'finance.intro': 'Nettoliikevaihto, myytyjen tuotteiden kustannukset ja myyntikate talousnäkymästä euroina.',
  'finance.period': 'Ajanjakso {from} – {to}',

  'monthly.title': 'Liikevaihto ja myyntikate kuukausittain',
  'monthly.subtitle': 'Nettoliikevaihto (pylväät) ja myyntikate (viiva) kalenterikuukausittain',
  'monthly.revenue': 'Nettoliikevaihto',
  'monthly.grossMargin': 'Myyntikate',
  'monthly.grossMarginPct': 'Myyntikate-%',
  'monthly.chartLabel': 'Kaavio nettoliikevaihdosta ja myyntikatteesta {count} kuukaudelta, {from} – {to}.',

  'topCustomers.title': 'Suurimmat asiakkaat myyntikatteen mukaan',
  'topCustomers.subtitle': '{count} asiakasta, joiden myyntikate on kaikkien kuukausien ajalta suurin',
  'topCustomers.rank': 'Sija',
  'topCustomers.customer': 'Asiakas',
  'topCustomers.revenue': 'Nettoliikevaihto',
  'topCustomers.cost': 'Kustannukset',
  'topCustomers.grossMargin': 'Myyntikate',
  'topCustomers.grossMarginPct': 'Kate-%',
} as const satisfies Messages;
