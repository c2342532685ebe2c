import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import en from './en.json'
import es from './es.json'

export const LANGUAGES = ['en', 'es'] as const
export type Language = (typeof LANGUAGES)[number]
const STORAGE_KEY = 'purchase-sender.language'

function initialLanguage(): Language {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY)
    if (saved === 'en' || saved === 'es') return saved
  } catch {
    // Storage may be unavailable: fall back to the browser's language.
  }
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en'
}

export function setLanguage(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language)
  } catch {
    // Not remembered, still switched.
  }
  void i18next.changeLanguage(language)
}

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, es: { translation: es } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
})

document.documentElement.lang = i18next.language
i18next.on('languageChanged', (language) => {
  document.documentElement.lang = language
})

export default i18next
