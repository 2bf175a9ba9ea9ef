/**
 * Category tree (dictionary data) for the demo city 重庆市合川区.
 *
 * Three-level codes: top level 2 digits ('01'), middle 4 digits ('0101'),
 * leaves 6 digits ('010101'). Every code starts with its parent's code.
 *
 *  01 管理部件   — GB/T 30428.2 部件 大类 → 小类 (数字城管, case type `urban`)
 *  02 管理事件   — GB/T 30428.2 事件 大类 → 小类 (数字城管 + 网格事件)
 *  03..12        — 12345 热线 / 网格事件 categories as residents phrase them
 *
 * Time limits (`limitHours`) are WORKING hours with 7-hour working days:
 * the usual 12345 handling limit of 5 working days is 35 h; urgent items
 * (燃气泄漏, 供水管道破裂, 路面塌陷 …) get 2–4 h.
 *
 * The 立案条件 / 结案条件 texts are written for this project in the style of
 * the GB/T 30428.8 / CJ/T 315 per-小类 tables; they are not copied from them.
 */

export type CaseType = 'grid_event' | 'hotline' | 'urban';

export interface CategoryDef {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  /** which case types use it */
  caseTypes: Array<CaseType>;
  /** handling time limit in WORKING hours (leaves only) */
  limitHours?: number;
  /** 立案条件 (zh), for 部件/事件 leaves */
  filingCondition?: string;
  /** 结案条件 (zh) */
  closingCondition?: string;
  /** responsible department key, one of UNIT_KEYS */
  defaultUnit: string;
}

/** Responsible department keys and their names in 合川区. */
export const UNITS = {
  chengguan: '合川区城市管理局',
  zhujian: '合川区住房和城乡建设委员会',
  shengtai: '合川区生态环境局',
  gongan: '合川区公安分局',
  shuiwu: '合川区供排水公司',
  jiaotong: '合川区交通局',
  shichang: '合川区市场监督管理局',
  renshe: '合川区人力资源和社会保障局',
  jiaowei: '合川区教育委员会',
  weijian: '合川区卫生健康委员会',
  minzheng: '合川区民政局',
  ranqi: '合川区燃气公司',
  dianli: '国网合川供电公司',
  wuye: '小区物业服务企业',
  street: '属地街道办事处',
} as const;

export type UnitKey = keyof typeof UNITS;
export const UNIT_KEYS = Object.keys(UNITS) as UnitKey[];

/** 7 working hours per working day. */
export const WORK_HOURS_PER_DAY = 7;
/** Standard 12345 handling limit: 5 working days. */
export const HOTLINE_LIMIT_HOURS = 5 * WORK_HOURS_PER_DAY;

// ---------------------------------------------------------------------------
// source rows (compact); parentCode, group caseTypes and group defaultUnit are derived
// ---------------------------------------------------------------------------

interface GroupRow {
  kind: 'group';
  code: string;
  nameZh: string;
  nameEn: string;
}
interface LeafRow {
  kind: 'leaf';
  code: string;
  nameZh: string;
  nameEn: string;
  unit: UnitKey;
  limit: number;
  types: CaseType[];
  filing?: string;
  closing?: string;
}
type Row = GroupRow | LeafRow;

const U: CaseType[] = ['urban'];
const UG: CaseType[] = ['urban', 'grid_event'];
const UGH: CaseType[] = ['urban', 'grid_event', 'hotline'];
const H: CaseType[] = ['hotline'];
const HG: CaseType[] = ['hotline', 'grid_event'];

const D5 = HOTLINE_LIMIT_HOURS; // 35 h
const D3 = 3 * WORK_HOURS_PER_DAY; // 21 h
const D2 = 2 * WORK_HOURS_PER_DAY; // 14 h
const D1 = WORK_HOURS_PER_DAY; // 7 h

const g = (code: string, nameZh: string, nameEn: string): GroupRow => ({ kind: 'group', code, nameZh, nameEn });
const l = (
  code: string,
  nameZh: string,
  nameEn: string,
  unit: UnitKey,
  limit: number,
  types: CaseType[],
  filing?: string,
  closing?: string,
): LeafRow => ({ kind: 'leaf', code, nameZh, nameEn, unit, limit, types, filing, closing });

const rows: Row[] = [
  // ======================= 01 管理部件 (GB/T 30428.2 部件) =======================
  g('01', '管理部件', 'Managed urban components'),

  g('0101', '公用设施类', 'Public utility facilities'),
  l('010101', '上水井盖', 'Water supply manhole cover', 'shuiwu', 4, U,
    '井盖缺失、破损、松动响动，或盖与井框、路面高差明显，锁具缺损',
    '井盖补齐或更换，盖框平稳、与路面基本平齐，无响动'),
  l('010102', '污水井盖', 'Sewage manhole cover', 'shuiwu', 4, U,
    '井盖缺失、破损、移位或下沉，井口外溢污水',
    '井盖复位或更换完好，井口周边无污水外溢'),
  l('010103', '雨水箅子', 'Storm drain grate', 'chengguan', D1, U,
    '雨水箅子缺失、断裂、下陷，或被杂物、淤泥覆盖堵塞',
    '箅子补齐或更换，安放稳固，进水口畅通'),
  l('010104', '电力井盖', 'Power utility manhole cover', 'dianli', 4, U,
    '电力井盖缺失、破损、松动或高差明显，存在行人车辆安全隐患',
    '井盖补齐更换，盖框平稳，现场安全隐患消除'),
  l('010105', '通信井盖', 'Telecom manhole cover', 'chengguan', D1, U,
    '通信、有线电视或网络井盖缺失、破损、松动、下沉',
    '权属单位更换或修复井盖，盖框平稳、路面平整'),
  l('010106', '燃气井盖', 'Gas valve manhole cover', 'ranqi', 4, U,
    '燃气阀门井盖缺失、破损、被占压或有异味',
    '井盖修复完好，井室无占压，经检测无燃气泄漏'),
  l('010107', '消火栓', 'Fire hydrant', 'shuiwu', D2, U,
    '室外消火栓损坏、漏水、缺少部件、被圈占或被遮挡',
    '消火栓修复完好、出水正常，周边无遮挡占压'),
  l('010108', '路灯', 'Street light', 'chengguan', D3, U,
    '路灯不亮、白天常亮、闪烁，灯杆倾斜、灯罩破损或检修门缺失',
    '路灯亮灯正常，灯杆、灯具及检修门完好'),
  l('010109', '电力设施', 'Power facilities (poles, transformers, switch boxes)', 'dianli', D2, U,
    '电杆倾斜、变压器或电闸箱箱门缺失破损、线路裸露下垂',
    '设施扶正或修复，箱门完好上锁，线路规范架设'),
  l('010110', '健身设施', 'Outdoor fitness equipment', 'street', D3, U,
    '健身器材损坏、松动、缺件、锈蚀严重，存在使用安全隐患',
    '器材修复或拆除更换，能安全使用，或设置警示并停用'),

  g('0102', '道路交通类', 'Road and traffic facilities'),
  l('010201', '路名牌', 'Street name sign', 'chengguan', D5, U,
    '路名牌缺失、倾斜、破损、字迹模糊或指示错误',
    '路名牌补设或修复，安装牢固、信息正确清晰'),
  l('010202', '交通标志牌', 'Traffic sign', 'gongan', D3, U,
    '交通标志牌缺失、倾斜、破损、被遮挡或内容错误',
    '标志牌修复或更换，设置规范，无遮挡'),
  l('010203', '交通信号灯', 'Traffic signal', 'gongan', 4, U,
    '信号灯不亮、常黄闪、灯色错误、灯头松动或信号杆倾斜',
    '信号灯恢复正常运行，灯头、杆件安装牢固'),
  l('010204', '道路护栏', 'Road guardrail', 'chengguan', D3, U,
    '隔离护栏、人行道护栏缺失、倒伏、断裂或严重变形',
    '护栏扶正、修复或补齐，连接牢固，线形顺直'),
  l('010205', '公交站亭', 'Bus shelter', 'jiaotong', D3, U,
    '公交站亭顶棚、座椅、站牌破损缺失，玻璃碎裂或严重污损',
    '站亭设施修复完好，站牌信息清晰，碎片清理干净'),
  l('010206', '过街天桥', 'Pedestrian overpass', 'chengguan', D3, U,
    '天桥桥面破损、栏杆松动、照明不亮、积水或附属设施损坏',
    '桥面、栏杆及照明修复，通行安全'),
  l('010207', '人行道板', 'Sidewalk paving', 'chengguan', D3, U,
    '人行道板块松动、破碎、缺失、沉陷或翘起，影响行人通行',
    '破损板块更换铺装完好，表面平整无松动'),

  g('0103', '市容环境类', 'City appearance facilities'),
  l('010301', '公共厕所', 'Public toilet', 'chengguan', D2, U,
    '公厕设施损坏、无水、堵塞、异味严重，或未按规定时间开放',
    '设施修复、保洁到位，正常开放使用'),
  l('010302', '果皮箱', 'Litter bin', 'chengguan', D1, U,
    '果皮箱（垃圾箱）缺失、破损、倾倒、箱盖缺失或严重污损',
    '果皮箱补设或更换，摆放规范、外观整洁'),
  l('010303', '垃圾收集站', 'Refuse collection station', 'chengguan', D2, U,
    '垃圾站设施损坏、门窗破损、渗滤液外流或周边脏乱',
    '设施修复，渗滤液收集规范，站点周边整洁'),
  l('010304', '户外广告设施', 'Outdoor advertising structure', 'chengguan', D3, U,
    '广告牌、灯箱、店招结构松动、锈蚀、面板脱落或存在坠落隐患',
    '设施加固、修复或拆除，安全隐患消除'),
  l('010305', '垃圾分类投放点', 'Sorted-waste drop-off point', 'street', D2, U,
    '分类投放亭、桶缺失破损、标识不清或设施损坏',
    '投放设施修复补齐，分类标识清晰完好'),

  g('0104', '园林绿化类', 'Landscaping and greenery'),
  l('010401', '行道树', 'Street tree', 'chengguan', D3, U,
    '行道树缺株、死亡、倾斜、断枝悬挂，或枝条遮挡路灯、信号灯、标志',
    '补植或扶正，断枝清除，遮挡枝条修剪到位'),
  l('010402', '绿地', 'Green space', 'chengguan', D3, U,
    '绿地黄土裸露、苗木缺失死亡、杂草丛生或被踩踏毁坏',
    '补植复绿，杂草清除，绿地恢复完整'),
  l('010403', '古树名木', 'Heritage tree', 'chengguan', D2, U,
    '古树名木出现枯枝、病虫害、倾斜、树体损伤或保护设施损坏',
    '养护措施落实，病虫害防治或支撑加固到位，保护设施完好'),

  g('0105', '房屋土地类', 'Buildings and land'),
  l('010501', '宣传栏', 'Notice board', 'street', D5, U,
    '宣传栏破损、玻璃碎裂、内容陈旧过期或结构不稳',
    '宣传栏修复，内容及时更新，结构稳固'),
  l('010502', '危旧房屋', 'Dilapidated building', 'zhujian', D1, U,
    '房屋墙体开裂、外墙脱落、屋面垮塌或构件松动，存在安全隐患',
    '完成安全鉴定并落实排危、加固或封闭措施，设置警示'),
  l('010503', '工地围挡', 'Construction hoarding', 'zhujian', D3, U,
    '施工围挡倒伏、破损、缺失、高度不足或严重污损',
    '围挡修复补齐，连续稳固、外观整洁'),

  g('0106', '其他设施类', 'Other facilities'),
  l('010601', '人防工事', 'Civil air defence structure', 'zhujian', D5, U,
    '人防工事出入口、通风口损坏，门锁缺失或被违规占用',
    '出入口、通风口修复，封闭或清理到位'),
  l('010602', '瓶装燃气供应点', 'Bottled gas outlet', 'ranqi', D2, U,
    '液化气供应点设施破损、气瓶露天堆放或消防器材缺失',
    '设施整改到位，气瓶规范存放，消防器材配齐'),
  l('010603', '水域护栏', 'Waterfront railing', 'chengguan', D1, U,
    '江边、河边护栏或亲水平台栏杆缺失、断裂、松动',
    '护栏修复补齐，连接牢固，临水安全隐患消除'),
  l('010604', '治安监控设施', 'Public security camera', 'gongan', D3, U,
    '治安监控杆倾斜、摄像头损坏、线路裸露或设备箱门缺失',
    '监控设施修复，线路收纳规范，箱门完好'),
  l('010605', '电动车充电桩', 'E-bike charging post', 'dianli', D3, U,
    '公共充电桩损坏、线缆裸露、无法充电或存在漏电隐患',
    '充电桩修复或停用断电，线缆规范，隐患消除'),

  // ======================= 02 管理事件 (GB/T 30428.2 事件) =======================
  g('02', '管理事件', 'Managed urban events'),

  g('0201', '市容环境', 'City appearance and sanitation'),
  l('020101', '暴露垃圾', 'Exposed garbage', 'chengguan', 4, UG,
    '道路、广场、绿地等公共区域可见成堆或散落的生活垃圾',
    '垃圾清运完毕，现场无残留'),
  l('020102', '积存垃圾渣土', 'Accumulated garbage and muck', 'chengguan', D1, UG,
    '公共区域积存垃圾、渣土、建筑垃圾，长时间未清运',
    '积存垃圾渣土全部清运，地面清扫干净'),
  l('020103', '道路不洁', 'Dirty road surface', 'chengguan', 4, UG,
    '路面、人行道有明显污渍、油污、泥浆或垃圾，未及时清扫',
    '路面清扫冲洗干净，无明显污渍和垃圾'),
  l('020104', '水域不洁', 'Polluted waterway surface', 'chengguan', D1, UG,
    '江河、溪沟水面有漂浮垃圾、油污或岸坡堆积垃圾',
    '水面漂浮物打捞完毕，岸坡垃圾清理干净'),
  l('020105', '绿地脏乱', 'Littered green space', 'chengguan', D1, UG,
    '绿地内有垃圾、杂物、晾晒物或被开垦种菜',
    '绿地内垃圾杂物清除，恢复整洁'),
  l('020106', '乱堆物堆料', 'Illegal piling of materials', 'chengguan', D1, UG,
    '道路、人行道、公共场地违规堆放物品、建材或杂物',
    '堆放物清理，或当事人自行清除，场地恢复通行'),
  l('020107', '乱涂写乱张贴', 'Graffiti and fly-posting', 'chengguan', D1, UG,
    '建筑物、设施、树木上有涂写、刻画或张贴物',
    '涂写张贴物清除干净，无明显痕迹'),
  l('020108', '私搭乱建', 'Unauthorised structure', 'chengguan', D5, UG,
    '在道路、楼顶、绿地、公共场地擅自搭建建筑物、构筑物或棚架',
    '违法搭建拆除或已立案查处并提供处理依据'),
  l('020109', '废弃车辆', 'Abandoned vehicle', 'chengguan', D5, UG,
    '道路或公共停车区域长期停放、破损无人使用的机动车、非机动车',
    '废弃车辆被清拖或车主自行移走'),
  l('020110', '沿街晾晒', 'Street-side clothes drying', 'chengguan', 4, UG,
    '在临街护栏、树木、电杆、绿篱上晾晒衣物或其他物品',
    '晾晒物收回，现场恢复整洁'),
  l('020111', '垃圾满溢', 'Overflowing garbage bins', 'chengguan', 4, UG,
    '垃圾桶、果皮箱或收集点垃圾满溢外流，未及时清运',
    '垃圾清运，容器及周边清理干净'),

  g('0202', '宣传广告', 'Advertising and publicity'),
  l('020201', '非法小广告', 'Illegal small ads', 'chengguan', D1, UG,
    '墙面、电杆、设施上张贴、喷涂办证、招租、疏通管道等小广告',
    '小广告清除干净，无明显残留'),
  l('020202', '违规户外广告', 'Non-compliant outdoor advertising', 'chengguan', D5, UG,
    '未经审批设置户外广告，或广告设置位置、规格不符合规定',
    '违规广告拆除或依法办理审批'),
  l('020203', '店招破损', 'Damaged shop sign', 'chengguan', D1, UG,
    '店招、牌匾、灯箱破损、缺字、松动，存在坠落隐患',
    '店招修复或拆除，安全隐患消除'),
  l('020204', '悬挂横幅标语', 'Unauthorised banners', 'chengguan', D1, UG,
    '未经批准或过期的横幅、条幅、布标悬挂于道路、建筑物上',
    '横幅标语拆除'),

  g('0203', '施工管理', 'Construction management'),
  l('020301', '施工扰民', 'Construction noise nuisance', 'zhujian', 4, UGH,
    '夜间（22时至次日6时）或午间违规施工产生噪声，影响周边居民休息',
    '施工已停止或已取得夜间施工许可并采取降噪措施'),
  l('020302', '施工占道', 'Construction occupying road', 'chengguan', D1, UG,
    '施工超出围挡范围或未经许可占用道路、人行道',
    '占道物清理或办理许可，恢复正常通行'),
  l('020303', '工地扬尘', 'Construction site dust', 'zhujian', D1, UGH,
    '工地裸土未覆盖、未湿法作业、出入口未冲洗，扬尘明显',
    '裸土覆盖、洒水降尘、车辆冲洗等措施落实到位'),
  l('020304', '道路遗撒', 'Spillage from vehicles', 'chengguan', 4, UG,
    '运输车辆遗撒渣土、砂石、泥浆，造成路面污染',
    '遗撒物清除，路面冲洗干净'),
  l('020305', '施工废弃料', 'Construction waste', 'chengguan', D2, UG,
    '施工结束后遗留建筑垃圾、废弃材料、机具未清理',
    '施工废弃料清运完毕，场地恢复'),
  l('020306', '无证掘路', 'Unpermitted road excavation', 'chengguan', D1, UG,
    '未经许可挖掘城市道路、人行道，或超范围、超期开挖',
    '开挖停止并补办手续，或路面恢复'),

  g('0204', '突发事件', 'Emergencies'),
  l('020401', '路面塌陷', 'Road collapse', 'chengguan', 2, UGH,
    '道路、人行道出现塌陷、空洞或明显沉降，危及通行安全',
    '现场围挡警示后塌陷修复回填，路面恢复通行'),
  l('020402', '供水管道破裂', 'Burst water main', 'shuiwu', 2, UGH,
    '供水管道爆裂、漏水冒水，路面积水或造成停水',
    '管道抢修完毕，恢复供水，现场积水清除'),
  l('020403', '燃气泄漏', 'Gas leak', 'ranqi', 2, UGH,
    '燃气管道、阀门或设施泄漏，现场有明显燃气异味',
    '泄漏点处置完毕，经检测无泄漏，恢复安全供气'),
  l('020404', '下水道堵塞', 'Blocked sewer', 'shuiwu', 4, UGH,
    '排水管道、检查井堵塞，污水外溢或排水不畅',
    '管道疏通，污水不再外溢，现场清洗干净'),
  l('020405', '道路积水', 'Road flooding', 'chengguan', 4, UGH,
    '降雨后道路、下穿通道积水，影响车辆和行人通行',
    '积水排除，排水设施疏通'),
  l('020406', '边坡垮塌', 'Slope collapse / landslip', 'street', 2, UGH,
    '道路、小区边坡或挡墙出现垮塌、落石、明显裂缝',
    '现场设警戒封闭，险情排除或移交专业部门治理'),
  l('020407', '树木倒伏', 'Fallen tree', 'chengguan', 2, UGH,
    '树木倒伏、大枝断落，阻碍交通或压覆设施',
    '倒伏树木清除或扶正，道路恢复通行'),
  l('020408', '电线断落', 'Fallen power line', 'dianli', 2, UGH,
    '电力、通信线缆断落、低垂或搭落在树木、设施上',
    '线缆修复或重新架设，安全隐患消除'),

  g('0205', '街面秩序', 'Street order'),
  l('020501', '占道经营', 'Street vending on public road', 'chengguan', 4, UGH,
    '在道路、人行道、桥梁等公共场所摆摊设点经营',
    '摊点撤离，现场恢复整洁通畅'),
  l('020502', '店外经营', 'Business spilling outside shop', 'chengguan', 4, UG,
    '商户超出门窗外墙摆放商品、桌椅或进行作业经营',
    '店外物品收回，经营活动回到店内'),
  l('020503', '无照游商', 'Unlicensed mobile vendor', 'chengguan', 4, UG,
    '流动商贩沿街、在学校医院门口叫卖经营',
    '游商劝离，现场恢复秩序'),
  l('020504', '露天烧烤', 'Open-air barbecue', 'chengguan', 4, UGH,
    '在露天或店外公共区域进行烧烤，产生油烟',
    '露天烧烤停止，设备收回，现场清理'),
  l('020505', '机动车乱停放', 'Illegal car parking', 'gongan', 4, UGH,
    '机动车在人行道、消防通道、路口等禁停区域停放，影响通行',
    '车辆驶离或已依法处理'),
  l('020506', '非机动车乱停放', 'Disorderly bike/e-bike parking', 'chengguan', 4, UG,
    '电动车、共享单车在盲道、人行道、出入口无序停放',
    '车辆摆放整齐或清理到规定区域'),
  l('020507', '占道废品收购', 'Scrap collection on road', 'chengguan', D1, UG,
    '废品收购点占用道路、人行道堆放分拣废品',
    '占道废品清理，经营回到规定场所'),
  l('020508', '流浪乞讨', 'Vagrancy and begging', 'minzheng', D1, UG,
    '公共场所有流浪乞讨人员滞留，需要救助',
    '救助管理站完成劝导或救助'),
  l('020509', '黑车拉客', 'Illegal taxi soliciting', 'jiaotong', D1, UG,
    '无营运资质车辆在车站、路口招揽载客',
    '非法营运行为制止或依法查处'),

  // ======================= 03.. 12345 热线 / 网格事件 =======================
  g('03', '城乡建设', 'Urban and rural construction'),

  g('0301', '市政设施', 'Municipal infrastructure'),
  l('030101', '道路破损', 'Damaged road', 'chengguan', D5, H),
  l('030102', '路灯不亮', 'Street lights out', 'chengguan', D3, HG),
  l('030103', '污水外溢', 'Sewage overflow', 'shuiwu', D2, HG),
  l('030104', '公共设施损坏', 'Damaged public facility', 'chengguan', D5, HG),

  g('0302', '水电气供应', 'Water, power and gas supply'),
  l('030201', '停水', 'Water outage / low pressure', 'shuiwu', 4, H),
  l('030202', '停电', 'Power outage', 'dianli', 4, H),
  l('030203', '燃气供应', 'Gas supply problems', 'ranqi', D1, H),
  l('030204', '水电气收费', 'Utility billing disputes', 'shuiwu', D5, H),

  g('0303', '规划建设', 'Planning and building'),
  l('030301', '违章建筑', 'Illegal construction', 'chengguan', D5, HG),
  l('030302', '房屋质量', 'Housing quality', 'zhujian', D5, H),
  l('030303', '老旧小区改造', 'Old residential area renovation', 'zhujian', D5, H),
  l('030304', '征收安置', 'Expropriation and resettlement', 'zhujian', D5, H),

  g('0304', '物业管理', 'Property management'),
  l('030401', '物业服务', 'Property management service', 'wuye', D5, HG),
  l('030402', '物业收费', 'Property fees', 'wuye', D5, H),
  l('030403', '电梯故障', 'Elevator breakdown', 'shichang', D1, HG),
  l('030404', '小区停车', 'Residential parking', 'wuye', D5, H),
  l('030405', '维修资金', 'Maintenance fund', 'zhujian', D5, H),

  g('0305', '住房保障与房地产', 'Housing and real estate'),
  l('030501', '延期交房', 'Delayed home delivery', 'zhujian', D5, H),
  l('030502', '不动产办证', 'Property title certificate', 'zhujian', D5, H),

  g('04', '环境保护', 'Environmental protection'),

  g('0401', '环境污染', 'Environmental pollution'),
  l('040101', '噪音扰民', 'Noise nuisance', 'shengtai', D5, HG),
  l('040102', '油烟污染', 'Cooking fume pollution', 'chengguan', D5, HG),
  l('040103', '废气异味', 'Exhaust gas and odours', 'shengtai', D5, H),
  l('040104', '水体污染', 'Water pollution', 'shengtai', D5, HG),
  l('040105', '露天焚烧', 'Open burning', 'shengtai', D1, HG),

  g('0402', '环保管理', 'Environmental administration'),
  l('040201', '建设项目环评', 'Project environmental assessment', 'shengtai', D5, H),
  l('040202', '垃圾分类', 'Waste sorting', 'chengguan', D5, HG),

  g('05', '劳动和社会保障', 'Labour and social security'),

  g('0501', '劳动关系', 'Labour relations'),
  l('050101', '拖欠工资', 'Unpaid wages', 'renshe', D5, HG),
  l('050102', '劳动合同', 'Labour contract disputes', 'renshe', D5, H),
  l('050103', '工伤认定', 'Work injury recognition', 'renshe', D5, H),

  g('0502', '社会保险', 'Social insurance'),
  l('050201', '养老保险', 'Pension insurance', 'renshe', D5, H),
  l('050202', '医疗保险', 'Medical insurance', 'renshe', D5, H),
  l('050203', '退休待遇', 'Retirement benefits', 'renshe', D5, H),

  g('0503', '就业培训', 'Employment and training'),
  l('050301', '就业创业', 'Employment and start-ups', 'renshe', D5, H),
  l('050302', '职业技能培训', 'Vocational training', 'renshe', D5, H),

  g('06', '交通运输', 'Transport'),

  g('0601', '客运管理', 'Passenger transport'),
  l('060101', '公交线路', 'Bus routes and service', 'jiaotong', D5, H),
  l('060102', '出租车', 'Taxi and ride-hailing', 'jiaotong', D5, H),

  g('0602', '道路运输管理', 'Road and traffic management'),
  l('060201', '农村公路', 'Rural roads', 'jiaotong', D5, HG),
  l('060202', '交通拥堵', 'Traffic congestion', 'gongan', D5, H),
  l('060203', '停车收费', 'Parking charges', 'jiaotong', D5, H),
  l('060204', '渡口码头', 'Ferries and piers', 'jiaotong', D5, H),

  g('07', '商贸旅游', 'Commerce and tourism'),

  g('0701', '市场监管', 'Market supervision'),
  l('070101', '价格投诉', 'Price complaints', 'shichang', D5, H),
  l('070102', '预付卡纠纷', 'Prepaid card disputes', 'shichang', D5, H),
  l('070103', '无证经营', 'Unlicensed business', 'shichang', D5, HG),

  g('0702', '商业旅游', 'Trade and tourism'),
  l('070201', '景区服务', 'Scenic area service', 'shichang', D5, H),
  l('070202', '农贸市场管理', 'Farmers market management', 'shichang', D5, HG),

  g('08', '卫生计生', 'Health and family planning'),

  g('0801', '医政管理', 'Medical administration'),
  l('080101', '医疗服务', 'Medical service complaints', 'weijian', D5, H),
  l('080102', '医患纠纷', 'Doctor–patient disputes', 'weijian', D5, H),
  l('080103', '非法行医', 'Illegal medical practice', 'weijian', D5, HG),

  g('0802', '食品药品', 'Food and drugs'),
  l('080201', '食品安全', 'Food safety', 'shichang', D2, HG),

  g('0803', '公共卫生', 'Public health'),
  l('080301', '病媒生物', 'Disease vectors (rats, mosquitoes)', 'weijian', D5, HG),
  l('080302', '生育服务', 'Birth registration and childcare subsidies', 'weijian', D5, H),

  g('09', '教育文体', 'Education, culture and sports'),

  g('0901', '教育管理', 'Education'),
  l('090101', '入学学位', 'School enrolment', 'jiaowei', D5, H),
  l('090102', '教育收费', 'School fees', 'jiaowei', D5, H),
  l('090103', '校外培训', 'Off-campus tutoring', 'jiaowei', D5, HG),
  l('090104', '校园周边安全', 'Safety around schools', 'jiaowei', D5, HG),
  l('090105', '师德师风', 'Teacher conduct', 'jiaowei', D5, H),

  g('0902', '文化体育', 'Culture and sports'),
  l('090201', '文体设施', 'Cultural and sports facilities', 'street', D5, HG),

  g('10', '民政', 'Civil affairs'),

  g('1001', '社会救助', 'Social assistance'),
  l('100101', '低保申请', 'Minimum living allowance', 'minzheng', D5, HG),
  l('100102', '临时救助', 'Temporary assistance', 'minzheng', D5, HG),

  g('1002', '养老服务', 'Elderly care'),
  l('100201', '养老机构', 'Elderly care institutions', 'minzheng', D5, H),
  l('100202', '高龄津贴', 'Old-age allowance', 'minzheng', D5, HG),

  g('1003', '社会事务', 'Social affairs'),
  l('100301', '殡葬管理', 'Funeral administration', 'minzheng', D5, HG),
  l('100302', '残疾人补贴', 'Disability subsidies', 'minzheng', D5, HG),

  g('11', '政法', 'Public security and disputes'),

  g('1101', '矛盾纠纷', 'Disputes'),
  l('110101', '邻里纠纷', 'Neighbour disputes', 'street', D5, HG),
  l('110102', '家庭纠纷', 'Family disputes', 'street', D5, HG),
  l('110103', '租赁纠纷', 'Tenancy disputes', 'street', D5, HG),

  g('1102', '社会治安', 'Public order'),
  l('110201', '治安隐患', 'Public order hazards', 'gongan', D2, HG),
  l('110202', '电信诈骗', 'Telecom fraud', 'gongan', D2, H),

  g('1103', '安全隐患', 'Safety hazards'),
  l('110301', '消防通道堵塞', 'Blocked fire lane', 'street', D1, HG),
  l('110302', '飞线充电', 'Unsafe e-bike charging', 'street', 4, HG),
  l('110303', '高空抛物', 'Objects thrown from height', 'gongan', D2, HG),

  g('12', '综合咨询', 'General enquiries'),

  g('1201', '咨询建议', 'Enquiries and suggestions'),
  l('120101', '政策咨询', 'Policy enquiry', 'street', D2, H),
  l('120102', '其他诉求', 'Other requests', 'street', D5, HG),
];

// ---------------------------------------------------------------------------
// derive the flat CategoryDef list
// ---------------------------------------------------------------------------

function parentOf(code: string): string | null {
  return code.length <= 2 ? null : code.slice(0, code.length - 2);
}

function build(src: Row[]): CategoryDef[] {
  const leaves = src.filter((r): r is LeafRow => r.kind === 'leaf');
  const order: CaseType[] = ['urban', 'grid_event', 'hotline'];
  return src.map((r): CategoryDef => {
    if (r.kind === 'leaf') {
      const def: CategoryDef = {
        code: r.code,
        parentCode: parentOf(r.code),
        nameZh: r.nameZh,
        nameEn: r.nameEn,
        caseTypes: [...r.types],
        limitHours: r.limit,
        defaultUnit: r.unit,
      };
      if (r.filing) def.filingCondition = r.filing;
      if (r.closing) def.closingCondition = r.closing;
      return def;
    }
    const below = leaves.filter((x) => x.code.startsWith(r.code));
    const types = new Set(below.flatMap((x) => x.types));
    // group default unit = the most common unit among its leaves (first wins ties)
    const counts = new Map<UnitKey, number>();
    for (const x of below) counts.set(x.unit, (counts.get(x.unit) ?? 0) + 1);
    let unit: UnitKey = 'street';
    let best = 0;
    for (const [k, n] of counts) {
      if (n > best) {
        best = n;
        unit = k;
      }
    }
    return {
      code: r.code,
      parentCode: parentOf(r.code),
      nameZh: r.nameZh,
      nameEn: r.nameEn,
      caseTypes: order.filter((t) => types.has(t)),
      defaultUnit: unit,
    };
  });
}

export const categories: CategoryDef[] = build(rows);

const byCode = new Map(categories.map((c) => [c.code, c]));
const parents = new Set(categories.map((c) => c.parentCode).filter((p): p is string => p !== null));

/** Category by code, or undefined. */
export function getCategory(code: string): CategoryDef | undefined {
  return byCode.get(code);
}

/** True when no other category has this code as parent. */
export function isLeaf(code: string): boolean {
  return byCode.has(code) && !parents.has(code);
}

/** All leaf categories, in tree order. */
export const leafCategories: CategoryDef[] = categories.filter((c) => !parents.has(c.code));

/** Ancestors from the top level down to (and including) the given code. */
export function categoryPath(code: string): CategoryDef[] {
  const path: CategoryDef[] = [];
  for (let c = byCode.get(code); c; c = c.parentCode ? byCode.get(c.parentCode) : undefined) path.unshift(c);
  return path;
}
