// English: login limits and two-step verification. Keys mirror security.zh-CN.ts (type-checked).
import type securityZh from './security.zh-CN.ts';

const securityEn: Record<keyof typeof securityZh, string> = {
  'nav.accountSecurity': 'Account security',
  'auth.otp': 'Verification code',
  'auth.otpHint': 'This account uses two-step verification: enter the 6-digit code from your authenticator app',
  'auth.otpRequired': 'Enter the 6-digit code',
  'auth.otpWrong': 'The code is wrong or has been used; enter the current code',
  'auth.tooMany': 'Too many failed logins for this account from your network; try again in{wait}',
  'auth.tooManyAddress': 'Too many failed logins from your network address; try again in{wait}. Accounts that have logged in from this network before are not affected',
  'auth.tooManyAccount': 'Too many failed logins for this account from many places; try again in{wait}, or from your usual network',
  'auth.sessionEnded': 'Your session has ended (logged out elsewhere, deactivated or timed out). Log in again to return to the page you were on (a half-typed new ticket is restored)',
  'auth.waitSeconds': ' {n} seconds',
  'auth.waitMinutes': ' {n} minutes',

  'sec.title': 'Account security',
  'sec.totp': 'Two-step verification',
  'sec.totpIntro': 'Once on, logging in needs the 6-digit code from an authenticator app (such as Google or Microsoft Authenticator) as well as the password.',
  'sec.notAvailable': 'Two-step verification is offered to administrator and command-centre accounts.',
  'sec.on': 'On',
  'sec.off': 'Off',
  'sec.onSince': 'On since {at}',
  'sec.start': 'Set up two-step verification',
  'sec.scan': 'Scan the QR code with your authenticator app, or enter the key below by hand:',
  'sec.secret': 'Key',
  'sec.uri': 'Set-up link',
  'sec.confirm': 'Turn on',
  'sec.enterCode': 'Enter the 6-digit code the app shows',
  'sec.enabled': 'Two-step verification is on',
  'sec.disable': 'Turn off two-step verification',
  'sec.disabled': 'Two-step verification is off',
  'sec.disableHint': 'Enter a current code to turn two-step verification off',
};

export default securityEn;
