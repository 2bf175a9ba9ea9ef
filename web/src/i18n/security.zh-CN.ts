// 简体中文：login limits and two-step verification (两步验证). Spread into zh-CN.ts; security.en.ts mirrors it.
const securityZh = {
  'nav.accountSecurity': '账号安全',
  'auth.otp': '验证码',
  'auth.otpHint': '该账号已开启两步验证，请输入身份验证器应用中的 6 位验证码',
  'auth.otpRequired': '请输入 6 位验证码',
  'auth.otpWrong': '验证码不正确或已使用，请输入当前的验证码',
  'auth.tooMany': '此账号在本网络的登录失败次数过多，请{wait}后再试',
  'auth.tooManyAddress': '本网络地址的登录失败次数过多，请{wait}后再试；曾在本网络登录过的账号不受影响',
  'auth.tooManyAccount': '此账号近期在多处登录失败，请{wait}后再试，或在常用网络登录',
  'auth.sessionEnded': '登录已失效（在别处退出、被停用或超时），请重新登录；登录后回到原来的页面（新建工单填写了一半的内容会自动恢复）',
  'auth.waitSeconds': ' {n} 秒',
  'auth.waitMinutes': ' {n} 分钟',

  'sec.title': '账号安全',
  'sec.totp': '两步验证',
  'sec.totpIntro': '开启后，登录时除密码外还需输入身份验证器应用（如 Google Authenticator、Microsoft Authenticator）生成的 6 位验证码。',
  'sec.notAvailable': '两步验证面向管理员和指挥中心账号。',
  'sec.on': '已开启',
  'sec.off': '未开启',
  'sec.onSince': '开启于 {at}',
  'sec.start': '设置两步验证',
  'sec.scan': '用身份验证器应用扫描二维码，或手动输入下方密钥：',
  'sec.secret': '密钥',
  'sec.uri': '配置链接',
  'sec.confirm': '确认开启',
  'sec.enterCode': '输入应用显示的 6 位验证码',
  'sec.enabled': '两步验证已开启',
  'sec.disable': '关闭两步验证',
  'sec.disabled': '两步验证已关闭',
  'sec.disableHint': '输入当前验证码以关闭两步验证',
};

export default securityZh;
