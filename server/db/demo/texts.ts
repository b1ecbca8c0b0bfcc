/**
 * The words of the story: entry titles, results, annotations, contact records and comments, as
 * staff of a Chinese industrial-automation distributor write them. `{short}` is the customer as
 * staff call it, `{contact}` and `{title}` one of its contacts, `{product}` what it buys, `{n}` and
 * `{amount}` numbers; `@{login}` mentions a colleague.
 */

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export const entryTitles = {
  visit: ['拜访{short}', '{short}技术交流', '{short}合同洽谈', '{short}现场勘察', '陪{contact}参观{short}产线', '{short}项目进度沟通'],
  call: ['电话回访{short}', '跟进{short}报价', '与{short}{contact}确认交期', '{short}回款跟进', '{short}样品测试反馈'],
  meeting: ['{short}项目评审会', '{short}方案讲解会', '与{short}季度业务沟通会'],
  task: ['准备{short}报价单', '撰写{short}技术方案', '提交{short}合同审批', '整理{short}投标文件', '{short}样品申请'],
  service: ['{short}设备巡检', '{short}安装调试', '{short}故障处理', '{short}操作培训'],
  serviceCall: ['{short}故障电话回访', '{short}服务满意度回访'],
  internal: ['整理本周客户拜访记录', '更新客户联系人资料', '部门月度数据汇总', '备件库存盘点', '售后工单整理', '学习新产品培训资料'],
} as const;

export const entryDescriptions = [
  '和{contact}（{title}）约好了时间，重点沟通{product}的需求和预算。',
  '带上最新的产品资料和报价单，了解竞争对手的报价情况。',
  '确认上次遗留的问题是否解决，顺便了解下季度的采购计划。',
  '对方关心交期和售后响应，准备好服务承诺书。',
  '',
];

export const results = {
  visit: [
    '与{contact}{title}面谈一个小时，确认{product}采购需求约 {n} 台，对方希望月底前交货。下周一前提供正式报价。',
    '现场看了产线，现有设备老化严重，改造意向明确。{contact}答应把我们列入短名单，下周发技术要求。',
    '合同条款基本谈妥，付款方式为 30% 预付、70% 货到验收后 30 天。等对方法务审核。',
    '{contact}反馈宏达的报价比我们低 6%，但对我们的交期和服务更认可。需要申请特价。',
    '介绍了新一代{product}，对方很感兴趣，约好下周带工程师来公司看演示。',
    '对方采购流程有变化，新增了集团审批环节，预计签约推迟两周。',
    '拿到了二期项目的设备清单，金额约 {amount} 万元，已发给王经理评估。',
  ],
  call: [
    '{contact}确认已收到报价，正在内部比价，周五前给答复。',
    '电话沟通交期，对方可以接受分两批交货，第一批下周三前到。',
    '催收货款，{contact}答应本周内安排付款 {amount} 万元。',
    '样品测试通过，{contact}说下个月开始小批量采购。',
    '{contact}出差，改约下周二再沟通。',
    '回访使用情况，设备运行稳定，客户比较满意，提到明年可能扩产。',
  ],
  meeting: [
    '会议确定了项目时间表：下月 10 日前完成安装，20 日前调试验收。会议纪要已发各方。',
    '方案讲解顺利，对方技术部提了三个问题，已记录，三天内书面答复。',
    '双方确认了季度采购计划和价格，返点政策维持不变。',
  ],
  task: [
    '已完成，报价单发王经理审核，毛利率 19.5%。',
    '技术方案初稿完成，共 18 页，发给技术部复核。',
    '合同已提交 OA 审批，等财务确认信用额度。',
    '投标文件整理完毕，商务部分和技术部分分别装订，明天寄出。',
    '样品申请已走完流程，仓库明天发货。',
  ],
  service: [
    '巡检 {n} 台设备，其中 1 台伺服驱动器风扇异响，已更换。其余运行正常。',
    '安装调试完成，试运行 4 小时无报警，客户已签字验收。',
    '故障原因是通讯线屏蔽层接地不良，重新接线后恢复正常。',
    '为客户 6 名操作工做了两小时培训，讲解了常见报警的处理方法。',
  ],
  internal: [
    '已完成。',
    '本周共拜访客户 {n} 家，记录已整理到日程里。',
    '数据已汇总发给经理。',
    '盘点完成，驱动板和编码器线库存不足，已提补货申请。',
  ],
} as const;

export const annotations = [
  '客户很重要，下次拜访叫上我一起去。',
  '报价注意毛利率，不能低于 18%。',
  '跟进很及时，很好！',
  '对方付款周期偏长，签合同前和财务确认信用额度。',
  '结果写得太简单了，补充一下对方的预算和决策人是谁。',
  '竞争对手的情况很有价值，整理一下在周例会上分享。',
  '这个项目要抓紧，争取月底前签下来。',
  '特价申请我来批，把订单量和交期写清楚。',
  '服务做得好，客户表扬了，继续保持。',
  '下周安排一次回访，确认问题没有再出现。',
];

export const annotationReplies = [
  '好的，已经和财务确认过了，额度没问题。',
  '收到，明天补充完整。',
  '谢谢经理，我约好时间告诉您。',
  '明白，周例会上我来分享。',
  '好的，下周二安排回访。',
];

export const contactRecords = {
  call: [
    '与{contact}电话沟通，确认样品已收到，测试结果下周出来。',
    '{contact}来电询问{product}的交期，答复现货两周内可到。',
    '电话回访{contact}，对上次的服务很满意，提到下半年有新项目。',
    '给{contact}打电话确认付款进度，财务说本周五付款。',
  ],
  visit: [
    '顺路拜访{contact}，送了新产品样册，约了下个月的技术交流。',
    '和{contact}吃饭，了解到他们明年有扩产计划，预算还在做。',
  ],
  email: [
    '把更新后的报价和技术参数表发给了{contact}，抄送了王经理。',
    '收到{contact}的邮件，要求补充 CE 认证文件，已转技术部。',
  ],
  other: [
    '在行业展会上碰到{contact}，交换了名片，对方对我们的{product}感兴趣。',
    '{contact}通过微信发来了新的设备清单，已整理成询价单。',
  ],
} as const;

export const comments = [
  '@{manager} {short}下个月有新产线招标，我们需要提前准备方案，您看是否需要技术部一起参与？',
  '{short}的付款记录这两个月很好，可以考虑适当放宽账期。@{manager}',
  '听说宏达也在接触{short}，大家注意保密报价。',
  '@{colleague} {short}的{contact}问起上次的培训资料，麻烦发我一份。',
  '{short}的设备下个月保修到期，提醒客户续签维保合同。',
  '已把{short}加入本季度重点客户名单。',
  '{contact}下周调岗到集团总部，新的对接人还没定，大家留意。',
];

export const weekPlan = {
  title: '第 {week} 周工作计划',
  description: '本周重点：\n1. 跟进{focus}的报价和合同\n2. 拜访客户不少于 {n} 家\n3. 回款目标 {amount} 万元',
  result: '本周拜访客户 {n} 家，新增意向客户 1 家；{focus}的报价已提交，回款完成 {amount} 万元。',
};

export const monthPlan = {
  title: '{month}月销售目标',
  description: '部门回款目标 {amount} 万元；重点项目：{focus}；新客户开发不少于 3 家。',
};
