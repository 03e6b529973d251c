// Samples randomuser.me's v1.4 data lists into this module's resource file, with each name's e-mail form as the
// API computes it (the `transliteration` package it locks, 2.2.0). Run from a folder where that package is
// installed (`npm install transliteration@2.2.0`):
//   node extract-lists.mjs <Randomuser.me-Node checkout>/api/1.4/data ../src/main/resources/io/userpipeline/randomuser/lists.json
// The lists are sampled, not copied whole: a few entries of each kind that tests a pipeline (empty, white space at
// the ends, commas, dots, apostrophes, hyphens, non-ASCII), then evenly spaced entries.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.cwd(), 'noop.js'));
const { transliterate } = require('transliteration');

const [dataDir, outFile] = process.argv.slice(2);
const NATS = ['AU', 'BR', 'CA', 'CH', 'DE', 'DK', 'ES', 'FI', 'FR', 'GB', 'IE', 'IN', 'IR', 'MX', 'NL', 'NO', 'NZ',
  'RS', 'TR', 'UA', 'US'];
const LISTS = ['male_first', 'female_first', 'last', 'street', 'cities', 'states', 'post_codes'];
const SAMPLE = 48;
const OF_EACH_KIND = 4;
const KINDS = [(e) => e === '', (e) => e !== e.trim(), (e) => e.includes(','), (e) => e.includes('.'), (e) => e.includes("'"),
  (e) => e.includes('-'), (e) => /[^\x00-\x7f]/.test(e)];

// The API splits each file on '\n' and drops the last element: the same here, so entries keep their white space.
const read = (file) => fs.readFileSync(file, 'utf-8').split('\n').slice(0, -1);
function sample(entries) {
  if (entries.length <= SAMPLE) return entries;
  const chosen = new Set();
  for (const kind of KINDS) {
    const ofKind = entries.filter(kind);
    for (let i = 0; i < Math.min(OF_EACH_KIND, ofKind.length); i++) {
      chosen.add(ofKind[Math.floor(i * ofKind.length / OF_EACH_KIND)]);
    }
  }
  const step = entries.length / SAMPLE;
  for (let i = 0; chosen.size < SAMPLE; i = (i + step) % entries.length) chosen.add(entries[Math.floor(i)]);
  return entries.filter((entry) => chosen.has(entry));
}

const emailForm = (name) => transliterate(name).replace(/ /g, '').toLowerCase();

const out = { source: 'RandomAPI/Randomuser.me-Node api/1.4/data', common: {}, nationalities: {} };
for (const list of ['title', 'user1', 'user2']) out.common[list] = read(path.join(dataDir, 'common', 'lists', list + '.txt'));
for (const nat of NATS) {
  const lists = {};
  for (const list of LISTS) {
    const file = path.join(dataDir, nat, 'lists', list + '.txt');
    // Denmark has a post_codes list too, but its inject never reads it: only Norway's postcodes come from a list.
    if (!fs.existsSync(file) || (list === 'post_codes' && nat !== 'NO')) continue;
    lists[list] = sample(read(file));
    if (list === 'male_first' || list === 'female_first' || list === 'last') {
      lists[list + '_email'] = lists[list].map(emailForm);
    }
  }
  out.nationalities[nat] = lists;
}
// The API builds an e-mail from the whole "first.last"; check that name by name gives the same.
for (const [nat, lists] of Object.entries(out.nationalities)) {
  for (const gender of ['male_first', 'female_first']) {
    for (const [i, first] of lists[gender].entries()) {
      for (const [j, last] of lists.last.entries()) {
        if (emailForm(`${first}.${last}`) !== `${lists[gender + '_email'][i]}.${lists.last_email[j]}`) {
          throw new Error(`${nat}: ${first}.${last} transliterates as a whole differently`);
        }
      }
    }
  }
}
fs.writeFileSync(outFile, JSON.stringify(out, null, 1) + '\n');
