import type { FeatureMessages } from './types.ts';

// The phone menu of the site header; the links themselves reuse the `nav.*` keys.
const messages: FeatureMessages = {
  en: {
    'header.menu': 'Menu',
    'header.menuNav': 'Site menu',
    'header.notifications': 'Notifications',
  },
  fr: {
    'header.menu': 'Menu',
    'header.menuNav': 'Menu du site',
    'header.notifications': 'Notifications',
  },
};

export default messages;
