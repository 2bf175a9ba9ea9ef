// 简体中文：the demo banner and changing one's password (a generated password must be changed at the
// first login). Spread into zh-CN.ts; deploy.en.ts mirrors it.
const deployZh = {
  'demo.banner': '演示数据',
  'demo.bannerDetail': '您正在使用演示账号：平台中的区划、人员和案件均为演示数据，演示账号的密码是公开的，请勿录入真实信息。',
  'demo.bannerDetailPrivate': '您正在使用演示平台：平台中的区划、人员和案件均为演示数据，请勿录入真实信息。',
  'password.title': '修改密码',
  'password.requiredTitle': '请先设置您自己的密码',
  'password.requiredDetail': '您的密码是系统生成或管理员设置的初始密码。设置您自己的密码后才能继续使用平台。',
  'password.current': '当前密码',
  'password.new': '新密码',
  'password.confirm': '再次输入新密码',
  'password.currentRequired': '请输入当前密码',
  'password.newRequired': '请输入新密码',
  'password.tooShort': '新密码至少 {min} 位',
  'password.mismatch': '两次输入的新密码不一致',
  'password.sameAsCurrent': '新密码不能与当前密码相同',
  'password.wrongCurrent': '当前密码不正确',
  'password.submit': '保存新密码',
  'password.changed': '密码已修改',
  'password.cancel': '返回',
};
export default deployZh;
