// English: the demo banner and changing one's password. Keys mirror deploy.zh-CN.ts (type-checked).
import type deployZh from './deploy.zh-CN.ts';

const deployEn: Record<keyof typeof deployZh, string> = {
  'demo.banner': 'Demo data',
  'demo.bannerDetail': 'You are using a demo account: the regions, people and cases here are demo data and demo passwords are public. Do not enter real information.',
  'demo.bannerDetailPrivate': 'You are using a demo platform: the regions, people and cases here are demo data. Do not enter real information.',
  'password.title': 'Change password',
  'password.requiredTitle': 'Choose your own password first',
  'password.requiredDetail': 'Your password was generated for you or set by an administrator. Choose your own to go on using the platform.',
  'password.current': 'Current password',
  'password.new': 'New password',
  'password.confirm': 'New password again',
  'password.currentRequired': 'Enter your current password',
  'password.newRequired': 'Enter a new password',
  'password.tooShort': 'The new password needs at least {min} characters',
  'password.mismatch': 'The two new passwords differ',
  'password.sameAsCurrent': 'The new password must differ from the current one',
  'password.wrongCurrent': 'The current password is not right',
  'password.submit': 'Save new password',
  'password.changed': 'Password changed',
  'password.cancel': 'Back',
};
export default deployEn;
