import { defineMessages } from '../define';

export default defineMessages(
  'ui',
  {
    areYouSure: 'Are you sure?',
    pagination: 'Pagination',
    checkFields: 'Check these fields: {fields}',
  },
  {
    de: {
      areYouSure: 'Sind Sie sicher?',
      pagination: 'Seitennavigation',
      checkFields: 'Bitte prüfen Sie diese Felder: {fields}',
    },
    pl: {
      areYouSure: 'Czy na pewno?',
      pagination: 'Stronicowanie',
      checkFields: 'Sprawdź te pola: {fields}',
    },
    fr: {
      areYouSure: 'Êtes-vous sûr ?',
      pagination: 'Pagination',
      checkFields: 'Vérifiez ces champs : {fields}',
    },
  },
);
