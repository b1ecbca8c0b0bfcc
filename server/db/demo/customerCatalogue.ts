import type { CustomerTier, CustomerType, ProspectClass } from '../../../shared/customers.js';

/** A contact of a demo customer; a birthday "this week" is placed on a day of the current week. */
export type DemoContact = { name: string; login: string; title: string; birthday: string | 'this-week' };

/** A demo customer as the story first creates it; `change` is a later change of tier or class. */
export type DemoCustomer = {
  key: string;
  name: string;
  /** How staff call it in texts (华信, 粤海). */
  short: string;
  type: CustomerType;
  tier: CustomerTier | null;
  prospectClass: ProspectClass | null;
  address: string;
  notes: string;
  domain: string;
  owners: string[];
  followers: string[];
  /** Days since the customer was entered. */
  since: number;
  /** What it buys from us or sells to us, for texts. */
  product: string;
  contacts: DemoContact[];
  change?: { daysAgo: number; by: string; to: { tier: CustomerTier | null; prospectClass: ProspectClass | null }; reason: string };
};

const c = (name: string, login: string, title: string, birthday: DemoContact['birthday']): DemoContact => ({ name, login, title, birthday });

/**
 * The customers of 汇通贸易, a distributor of industrial automation (PLCs, servo drives, inverters,
 * sensors): end customers, channels, suppliers, competitors, media and partners of every value
 * tier, and prospects of every class. All names are invented; e-mail domains end in .example.
 */
export const customerCatalogue: DemoCustomer[] = [
  {
    key: 'huaxin', name: '华信科技有限公司', short: '华信', type: 'end_customer', tier: 'platinum', prospectClass: null,
    address: '上海市浦东新区张江路 368 号', domain: 'huaxin-tech.example', owners: ['chenjing', 'wangfang'], followers: ['liuyang', 'xuhui', 'heping'], since: 640,
    notes: '长期合作客户，年采购额约 800 万元，主要采购伺服系统和 PLC。付款及时，二号产线改造项目进行中。', product: '伺服系统',
    contacts: [c('李明', 'liming', '采购总监', 'this-week'), c('王建国', 'wangjianguo', '技术部经理', '1975-06-18'), c('赵晓燕', 'zhaoxiaoyan', '财务主管', '1986-11-02')],
  },
  {
    key: 'dongsheng', name: '东盛电气集团华东分公司', short: '东盛电气', type: 'end_customer', tier: 'platinum', prospectClass: null,
    address: '南京市江宁区天元东路 88 号', domain: 'dongsheng-elec.example', owners: ['zhaolei'], followers: ['wangfang'], since: 900,
    notes: '集团年度框架采购，招投标流程严格。去年中标变频器项目 320 万元。', product: '变频器',
    contacts: [c('陈志强', 'chenzhiqiang', '采购部部长', '1972-03-09'), c('刘丹', 'liudan', '设备科科长', '1983-08-21')],
  },
  {
    key: 'yuehai', name: '粤海电子有限公司', short: '粤海', type: 'end_customer', tier: 'platinum', prospectClass: null,
    address: '深圳市南山区科技园科苑路 15 号', domain: 'yuehai-elec.example', owners: ['lina', 'zhouqiang'], followers: ['liuyang', 'guoyan'], since: 720,
    notes: '华南最大客户，SMT 产线自动化改造，二期项目预计 90 万元。', product: 'PLC 控制系统',
    contacts: [c('黄振华', 'huangzhenhua', '董事长', '1965-07-07'), c('许晴', 'xuqing', '采购总监', 'this-week'), c('邓超', 'dengchao', '生产部经理', '1982-02-14')],
  },
  {
    key: 'yuanhang', name: '远航物流股份有限公司', short: '远航物流', type: 'end_customer', tier: 'gold', prospectClass: null,
    address: '上海市宝山区长江西路 1010 号', domain: 'yuanhang-logistics.example', owners: ['sunli'], followers: ['wangfang'], since: 410,
    notes: '自动化立体仓库项目，采购输送线控制柜和传感器。', product: '传感器',
    contacts: [c('周伟', 'zhouwei', '信息中心主任', 'this-week'), c('黄丽', 'huangli', '行政采购', '1990-01-12')],
  },
  {
    key: 'hengtong', name: '恒通精密制造有限公司', short: '恒通', type: 'end_customer', tier: 'silver', prospectClass: null,
    address: '苏州工业园区星湖街 218 号', domain: 'hengtong-precision.example', owners: ['chenjing'], followers: ['wangfang'], since: 300,
    notes: '精密零部件加工，数控设备配套伺服电机。', product: '伺服电机',
    contacts: [c('孙浩', 'sunhao', '副总经理', '1976-09-30'), c('吴婷', 'wuting', '采购专员', '1992-05-05')],
    change: { daysAgo: 9, by: 'wangfang', to: { tier: 'gold', prospectClass: null }, reason: '签订年度框架协议，首批订单 68 万元' },
  },
  {
    key: 'nanfang', name: '南方精密机械有限公司', short: '南方精密', type: 'end_customer', tier: 'gold', prospectClass: null,
    address: '东莞市松山湖工业西路 6 号', domain: 'nanfang-mech.example', owners: ['zhouqiang'], followers: ['lina'], since: 520,
    notes: '注塑机厂商，变频器和人机界面的稳定客户。', product: '变频器',
    contacts: [c('林志明', 'linzhiming', '总工程师', '1974-04-16'), c('何静', 'hejing', '采购经理', '1988-10-10')],
  },
  {
    key: 'jinqiao', name: '金桥食品有限公司', short: '金桥食品', type: 'end_customer', tier: 'silver', prospectClass: null,
    address: '浙江省嘉兴市南湖区亚中路 77 号', domain: 'jinqiao-food.example', owners: ['zhaolei'], followers: [], since: 260,
    notes: '包装线改造，采购量不大但稳定。', product: '包装线控制器',
    contacts: [c('郑国华', 'zhengguohua', '厂长', '1968-12-01')],
  },
  {
    key: 'pengcheng', name: '鹏程医疗器械有限公司', short: '鹏程医疗', type: 'end_customer', tier: 'silver', prospectClass: null,
    address: '深圳市宝安区福永街道凤凰路 9 号', domain: 'pengcheng-med.example', owners: ['wuxia'], followers: [], since: 200,
    notes: '洁净车间设备，对品牌和认证要求高。', product: '伺服驱动器',
    contacts: [c('罗敏', 'luomin', '采购经理', '1987-03-28')],
  },
  {
    key: 'minghui', name: '明辉纺织有限公司', short: '明辉纺织', type: 'end_customer', tier: 'regular', prospectClass: null,
    address: '佛山市南海区西樵镇纺织路 3 号', domain: 'minghui-textile.example', owners: ['wuxia'], followers: [], since: 380,
    notes: '老厂改造，预算有限，以维修备件为主。', product: '变频器备件',
    contacts: [c('梁国强', 'liangguoqiang', '设备主管', '1970-09-09')],
  },
  {
    key: 'xinghe', name: '星河酒店管理有限公司', short: '星河酒店', type: 'end_customer', tier: 'regular', prospectClass: null,
    address: '杭州市西湖区曙光路 120 号', domain: 'xinghe-hotels.example', owners: ['sunli'], followers: [], since: 150,
    notes: '楼宇自控改造，采购空调机组控制器。', product: '楼宇控制器',
    contacts: [c('钱芳', 'qianfang', '工程部经理', '1985-06-06')],
  },
  {
    key: 'lida', name: '利达建材有限公司', short: '利达建材', type: 'end_customer', tier: 'regular', prospectClass: null,
    address: '无锡市惠山区钱桥工业园 12 号', domain: 'lida-building.example', owners: ['zhaolei'], followers: ['wangfang'], since: 480,
    notes: '货款经常逾期，发货前须确认回款。', product: '搅拌站控制系统',
    contacts: [c('马振东', 'mazhendong', '总经理', '1966-01-20')],
    change: { daysAgo: 8, by: 'wangfang', to: { tier: 'poor', prospectClass: null }, reason: '货款逾期 90 天，暂停赊销' },
  },
  {
    key: 'yongsheng', name: '永盛五金制品厂', short: '永盛五金', type: 'end_customer', tier: 'poor', prospectClass: null,
    address: '中山市小榄镇工业大道 45 号', domain: 'yongsheng-hardware.example', owners: ['zhouqiang'], followers: [], since: 610,
    notes: '多次压价且退货率高，只做现款现货。', product: '小型 PLC',
    contacts: [c('冯永胜', 'fengyongsheng', '厂长', '1969-11-11')],
  },
  {
    key: 'boyuan', name: '苏州博远经销有限公司', short: '博远', type: 'channel', tier: 'gold', prospectClass: null,
    address: '苏州市吴中区东吴北路 299 号', domain: 'boyuan-dist.example', owners: ['chenjing'], followers: ['wangfang'], since: 560,
    notes: '苏南地区二级经销商，覆盖中小型机械厂。', product: '全系列产品',
    contacts: [c('蒋涛', 'jiangtao', '总经理', '1980-05-20'), c('韩雪', 'hanxue', '销售内勤', '1993-12-12')],
  },
  {
    key: 'qihang', name: '广州启航电气贸易有限公司', short: '启航电气', type: 'channel', tier: 'silver', prospectClass: null,
    address: '广州市番禺区市桥街繁华路 8 号', domain: 'qihang-trade.example', owners: ['zhouqiang', 'lina'], followers: [], since: 330,
    notes: '珠三角渠道，主要分销传感器和低压电器。', product: '传感器',
    contacts: [c('曾志伟', 'zengzhiwei', '总经理', '1978-08-08')],
  },
  {
    key: 'lianchuang', name: '杭州联创商贸有限公司', short: '联创商贸', type: 'channel', tier: 'regular', prospectClass: null,
    address: '杭州市余杭区文一西路 998 号', domain: 'lianchuang-trade.example', owners: ['sunli'], followers: [], since: 240,
    notes: '新开发的渠道，出货量还小。', product: '变频器',
    contacts: [c('邵斌', 'shaobin', '经理', '1983-03-03')],
  },
  {
    key: 'ruifeng', name: '宁波瑞丰机电有限公司', short: '瑞丰机电', type: 'supplier', tier: 'gold', prospectClass: null,
    address: '宁波市北仑区新碶街道明州路 500 号', domain: 'ruifeng-me.example', owners: ['liuyang'], followers: ['wangfang', 'lina'], since: 1100,
    notes: '伺服电机和减速机的主要供应商，账期 60 天。', product: '伺服电机',
    contacts: [c('应海波', 'yinghaibo', '销售总监', '1977-10-25'), c('朱莉', 'zhuli', '商务专员', 'this-week')],
  },
  {
    key: 'jingxin', name: '深圳晶芯半导体有限公司', short: '晶芯半导体', type: 'supplier', tier: 'silver', prospectClass: null,
    address: '深圳市福田区华强北路 1002 号', domain: 'jingxin-semi.example', owners: ['lina'], followers: [], since: 450,
    notes: '传感器芯片供应商，交期波动大。', product: '传感器芯片',
    contacts: [c('彭亮', 'pengliang', '区域经理', '1985-09-15')],
  },
  {
    key: 'hongda', name: '宏达工控贸易有限公司', short: '宏达', type: 'competitor', tier: 'regular', prospectClass: null,
    address: '上海市闵行区莘庄工业区', domain: 'hongda-ic.example', owners: ['liuyang'], followers: ['wangfang', 'lina'], since: 800,
    notes: '主要竞争对手，报价通常比我们低 5%–8%，但交期 6–8 周、售后响应慢。', product: '同类产品',
    contacts: [],
  },
  {
    key: 'guoxin', name: '国信自动化设备有限公司', short: '国信', type: 'competitor', tier: 'regular', prospectClass: null,
    address: '苏州市相城区', domain: 'guoxin-auto.example', owners: ['wangfang'], followers: [], since: 500,
    notes: '华东的竞争对手，擅长系统集成，常与我们同场投标。', product: '系统集成',
    contacts: [],
  },
  {
    key: 'fengchi', name: '风驰传媒有限公司', short: '风驰传媒', type: 'media', tier: 'silver', prospectClass: null,
    address: '上海市静安区南京西路 1266 号', domain: 'fengchi-media.example', owners: ['maxiaoyun'], followers: ['linfeng'], since: 350,
    notes: '工业品牌推广合作媒体，负责展会专访和行业白皮书。', product: '品牌推广',
    contacts: [c('唐婧', 'tangjing', '广告部总监', '1986-04-04'), c('宋阳', 'songyang', '记者', '1991-07-19')],
  },
  {
    key: 'gongkong', name: '工控资讯网', short: '工控资讯', type: 'media', tier: 'regular', prospectClass: null,
    address: '北京市海淀区中关村大街 27 号', domain: 'gongkong-news.example', owners: ['linfeng'], followers: [], since: 280,
    notes: '行业垂直媒体，软文和案例投放。', product: '案例投放',
    contacts: [c('任杰', 'renjie', '编辑', '1989-02-02')],
  },
  {
    key: 'yunqi', name: '云启软件科技有限公司', short: '云启软件', type: 'partner', tier: 'gold', prospectClass: null,
    address: '杭州市滨江区网商路 699 号', domain: 'yunqi-soft.example', owners: ['maxiaoyun', 'liuyang'], followers: ['wangfang'], since: 420,
    notes: 'MES 软件合作伙伴，联合投标智能工厂项目。', product: 'MES 系统',
    contacts: [c('谢飞', 'xiefei', '合作总监', '1981-11-30')],
  },
  {
    key: 'tongda', name: '通达物流有限公司', short: '通达物流', type: 'partner', tier: 'silver', prospectClass: null,
    address: '上海市青浦区华新镇华腾路 88 号', domain: 'tongda-express.example', owners: ['huangmin'], followers: ['xuhui'], since: 700,
    notes: '设备发运和备件配送的物流合作伙伴。', product: '物流配送',
    contacts: [c('杜鹏', 'dupeng', '客户经理', '1984-08-28')],
  },
  {
    key: 'tiancheng', name: '天诚新能源科技有限公司', short: '天诚新能源', type: 'end_customer', tier: null, prospectClass: 'B',
    address: '合肥市高新区望江西路 800 号', domain: 'tiancheng-energy.example', owners: ['chenjing'], followers: ['wangfang', 'liuyang'], since: 75,
    notes: '电池模组产线新建项目，预算约 300 万元，正在选型。', product: '运动控制系统',
    contacts: [c('方磊', 'fanglei', '设备采购负责人', '1987-01-26'), c('钟原', 'zhongyuan', '项目总监', '1979-04-30')],
    change: { daysAgo: 6, by: 'chenjing', to: { tier: null, prospectClass: 'A' }, reason: '已进入技术评审，决策人明确' },
  },
  {
    key: 'haichuan', name: '海川环保科技有限公司', short: '海川环保', type: 'end_customer', tier: null, prospectClass: 'A',
    address: '佛山市顺德区大良街道环保路 16 号', domain: 'haichuan-env.example', owners: ['zhouqiang'], followers: ['lina'], since: 60,
    notes: '污水处理厂自控系统，招标预计下月发布。', product: 'PLC 控制系统',
    contacts: [c('陆小红', 'luxiaohong', '项目经理', '1990-10-01')],
  },
  {
    key: 'ruikang', name: '瑞康生物制药有限公司', short: '瑞康生物', type: 'end_customer', tier: null, prospectClass: 'A',
    address: '上海市奉贤区金海公路 4000 号', domain: 'ruikang-bio.example', owners: ['sunli'], followers: ['wangfang'], since: 45,
    notes: 'GMP 车间改造，需要两套传感器样品测试。', product: '传感器',
    contacts: [c('沈洁', 'shenjie', '工程部主管', '1988-08-08')],
  },
  {
    key: 'bowen', name: '博文教育科技有限公司', short: '博文教育', type: 'end_customer', tier: null, prospectClass: 'A',
    address: '南京市鼓楼区中山北路 200 号', domain: 'bowen-edu.example', owners: ['zhaolei'], followers: [], since: 90,
    notes: '职业院校实训室建设，采购 PLC 实训台。', product: 'PLC 实训台',
    contacts: [c('姚文博', 'yaowenbo', '实训中心主任', '1976-06-01')],
    change: { daysAgo: 12, by: 'zhaolei', to: { tier: null, prospectClass: 'B' }, reason: '预算推迟到下学期' },
  },
  {
    key: 'qingsong', name: '青松家居有限公司', short: '青松家居', type: 'end_customer', tier: null, prospectClass: 'B',
    address: '佛山市顺德区乐从镇家具城', domain: 'qingsong-home.example', owners: ['wuxia'], followers: [], since: 40,
    notes: '板式家具生产线，考虑明年改造。', product: '变频器',
    contacts: [c('高松', 'gaosong', '生产总监', '1980-12-25')],
  },
  {
    key: 'xinda', name: '信达电子元件厂', short: '信达电子', type: 'end_customer', tier: null, prospectClass: 'B',
    address: '昆山市开发区前进东路 58 号', domain: 'xinda-parts.example', owners: ['sunli'], followers: [], since: 55,
    notes: '展会上认识，对视觉检测传感器感兴趣。', product: '视觉传感器',
    contacts: [c('胡斌', 'hubin', '技术经理', '1986-05-18')],
  },
  {
    key: 'yinuo', name: '义乌一诺小商品有限公司', short: '一诺', type: 'end_customer', tier: null, prospectClass: 'B',
    address: '义乌市福田街道商城大道 L 座', domain: 'yinuo-goods.example', owners: ['zhaolei'], followers: [], since: 120,
    notes: '只询价不下单，暂不跟进。', product: '小型 PLC',
    contacts: [c('楼一诺', 'louyinuo', '老板', '1982-09-19')],
    change: { daysAgo: 11, by: 'zhaolei', to: { tier: null, prospectClass: 'C' }, reason: '三次报价均无回应，放弃跟进' },
  },
  {
    key: 'wangda', name: '旺达装饰工程有限公司', short: '旺达装饰', type: 'end_customer', tier: null, prospectClass: 'C',
    address: '东莞市南城区鸿福路 100 号', domain: 'wangda-deco.example', owners: ['wuxia'], followers: [], since: 210,
    notes: '需求与我们的产品不匹配，已放弃。', product: '智能照明',
    contacts: [c('黎旺', 'liwang', '项目经理', '1979-03-15')],
  },
];
