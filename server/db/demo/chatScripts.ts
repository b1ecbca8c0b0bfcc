/**
 * The conversations of the story and what was said in them. A line is [author login, text,
 * index of the line it replies to]; `@{login}` mentions a member, `@{all}` everyone (by the group's owner). `day` is an offset from today
 * (moved back to a working day unless `evening`), `time` the first line's wall-clock time; later
 * lines follow a few minutes apart. Lines after 18:30 yesterday and today's are still unread.
 */
export type ChatLine = [author: string, text: string, replyTo?: number];
export type ChatScript = { conversation: string; day: number; time: string; evening?: boolean; lines: ChatLine[] };

export type DemoConversation = { key: string; kind: 'group'; name: string; owner: string; members: string[]; admin?: string; createdDaysAgo: number } | { key: string; kind: 'direct'; members: [string, string]; createdDaysAgo: number };

const everyone = ['liuyang', 'wangfang', 'chenjing', 'zhaolei', 'sunli', 'lina', 'zhouqiang', 'wuxia', 'huangmin', 'xuhui', 'heping', 'guoyan', 'maxiaoyun', 'linfeng'];

export const conversations: DemoConversation[] = [
  { key: 'east', kind: 'group', name: '华东销售部', owner: 'wangfang', members: ['chenjing', 'zhaolei', 'sunli'], admin: 'chenjing', createdDaysAgo: 400 },
  { key: 'south', kind: 'group', name: '华南销售部', owner: 'lina', members: ['zhouqiang', 'wuxia'], createdDaysAgo: 380 },
  { key: 'salesLeads', kind: 'group', name: '销售中心管理群', owner: 'liuyang', members: ['wangfang', 'lina', 'zhangwei'], createdDaysAgo: 300 },
  { key: 'huaxinProject', kind: 'group', name: '华信二号线项目组', owner: 'chenjing', members: ['wangfang', 'xuhui', 'heping'], createdDaysAgo: 18 },
  { key: 'service', kind: 'group', name: '售后服务部', owner: 'xuhui', members: ['heping', 'guoyan', 'huangmin'], createdDaysAgo: 350 },
  { key: 'all', kind: 'group', name: '汇通大家庭', owner: 'zhangwei', members: everyone, admin: 'huangmin', createdDaysAgo: 700 },
  { key: 'expo', kind: 'group', name: '展会筹备小组', owner: 'maxiaoyun', members: ['linfeng', 'liuyang', 'wangfang', 'lina'], createdDaysAgo: 20 },
  { key: 'wangfang-chenjing', kind: 'direct', members: ['wangfang', 'chenjing'], createdDaysAgo: 390 },
  { key: 'chenjing-zhaolei', kind: 'direct', members: ['chenjing', 'zhaolei'], createdDaysAgo: 200 },
  { key: 'liuyang-wangfang', kind: 'direct', members: ['liuyang', 'wangfang'], createdDaysAgo: 420 },
  { key: 'lina-zhouqiang', kind: 'direct', members: ['lina', 'zhouqiang'], createdDaysAgo: 330 },
  { key: 'xuhui-heping', kind: 'direct', members: ['xuhui', 'heping'], createdDaysAgo: 300 },
  { key: 'chenjing-heping', kind: 'direct', members: ['chenjing', 'heping'], createdDaysAgo: 120 },
  { key: 'sunli-chenjing', kind: 'direct', members: ['sunli', 'chenjing'], createdDaysAgo: 90 },
  { key: 'zhangwei-liuyang', kind: 'direct', members: ['zhangwei', 'liuyang'], createdDaysAgo: 600 },
  { key: 'maxiaoyun-linfeng', kind: 'direct', members: ['maxiaoyun', 'linfeng'], createdDaysAgo: 250 },
  { key: 'wuxia-lina', kind: 'direct', members: ['wuxia', 'lina'], createdDaysAgo: 280 },
  { key: 'guoyan-xuhui', kind: 'direct', members: ['guoyan', 'xuhui'], createdDaysAgo: 150 },
  { key: 'zhaolei-wangfang', kind: 'direct', members: ['zhaolei', 'wangfang'], createdDaysAgo: 380 },
];

export const scripts: ChatScript[] = [
  // 华东销售部
  { conversation: 'east', day: -13, time: '09:05', lines: [
    ['wangfang', '大家早，今天各自的拜访安排发一下。@{chenjing} 华信的报价今天能定稿吗？'],
    ['chenjing', '王经理早，初稿做好了，上午和技术确认一下参数，中午前发您审核。'],
    ['wangfang', '好，毛利率注意不要低于 18%。', 1],
    ['zhaolei', '我上午去金桥食品，下午在公司做东盛电气的投标文件。'],
    ['sunli', '我上午拜访远航物流周主任，下午回访星河酒店。'],
    ['wangfang', '收到，路上注意安全，有问题群里说。'],
  ] },
  { conversation: 'east', day: -12, time: '14:20', lines: [
    ['zhaolei', '@{wangfang} 仓库说 S7-1200 的 CPU 模块只剩 6 台了，恒通下周要 10 台，要不要先跟瑞丰订货？'],
    ['wangfang', '先订 20 台吧，这个型号走得快。@{chenjing} 恒通那边的交期你再确认一下。'],
    ['chenjing', '好的，我下午给孙总打电话。'],
    ['chenjing', '确认了，恒通下周三前到货就行。', 1],
    ['wangfang', '👍'],
  ] },
  { conversation: 'east', day: -9, time: '11:40', lines: [
    ['chenjing', '好消息！恒通的年度框架协议签下来了🎉 首批订单 68 万。'],
    ['wangfang', '太棒了！辛苦了👍 恒通我已经调成黄金客户了。'],
    ['zhaolei', '恭喜恭喜！'],
    ['sunli', '厉害了静姐！'],
    ['wangfang', '周五晚上请大家吃饭庆祝一下。'],
    ['chenjing', '谢谢王经理，也谢谢磊哥帮忙协调库存。', 2],
  ] },
  { conversation: 'east', day: -8, time: '10:15', lines: [
    ['wangfang', '月底了，各自负责客户的回款情况今天下班前报给我。@{zhaolei} 利达建材那笔款还是没动静吗？'],
    ['zhaolei', '打了三次电话了，马总说资金周转困难，月底先付一半。'],
    ['wangfang', '先暂停给利达发货，款到了再说。利达我已经调成劣质客户了，财务那边我去打招呼。', 1],
    ['zhaolei', '明白。'],
  ] },
  { conversation: 'east', day: -7, time: '10:40', lines: [
    ['wangfang', '周例会纪要：\n1. 本月目标完成 72%，还差 35 万\n2. 重点跟进天诚新能源和瑞康生物两个新项目\n3. 周三前每人提交一份重点客户跟进计划'],
    ['chenjing', '收到'],
    ['zhaolei', '收到'],
    ['sunli', '收到，计划周二发您。'],
  ] },
  { conversation: 'east', day: -6, time: '15:10', lines: [
    ['sunli', '瑞康生物想要两套传感器样品做测试，样品申请怎么走？'],
    ['wangfang', '走 OA 样品申请，写明测试周期和预计采购量，我来审批。'],
    ['sunli', '好的，马上提交。', 1],
  ] },
  { conversation: 'east', day: -5, time: '16:05', lines: [
    ['chenjing', '听天诚的方工说，宏达报了比我们低 6% 的价格。'],
    ['wangfang', '宏达交期要 8 周，我们有现货，这是优势。价格可以申请特价，但要看订单量。@{chenjing} 先摸清他们的预算和决策流程。'],
    ['chenjing', '明白，周四去合肥当面聊。'],
    ['zhaolei', '我去年在东盛的项目上也碰到过宏达，他们售后很慢，可以拿这个说事。'],
    ['chenjing', '好主意👍', 3],
  ] },
  { conversation: 'east', day: -4, time: '11:25', lines: [
    ['zhaolei', '谁知道金桥食品的开票信息更新了吗？他们换了新的税号。'],
    ['sunli', '上周财务群里发过，我转给你。'],
    ['zhaolei', '谢谢！', 1],
  ] },
  { conversation: 'east', day: -3, time: '13:50', lines: [
    ['wangfang', '下个月的工业自动化展会，市场部在征集客户案例，大家有合适的可以发给马经理。'],
    ['chenjing', '华信一号线改造的案例可以用，效果数据我这边有。'],
    ['wangfang', '好，你整理一下直接发给市场部林峰。', 1],
    ['sunli', '远航物流的立体库也可以，周主任同意我们写。'],
  ] },
  { conversation: 'east', day: -2, time: '17:40', lines: [
    ['wangfang', '今天的执行结果记得都填到日程里，我明早看。'],
    ['chenjing', '已填'],
    ['sunli', '马上补。'],
    ['zhaolei', '在路上，回去补。'],
  ] },
  { conversation: 'east', day: -1, time: '19:20', evening: true, lines: [
    ['wangfang', '@{chenjing} 上班第一件事，我们碰一下华信二号线的报价，李总监在催了。'],
    ['wangfang', '@{sunli} 瑞康的样品测试结果出来了吗？'],
    ['sunli', '还没有，沈主管说这两天给结果。', 1],
  ] },
  { conversation: 'east', day: 0, time: '08:50', lines: [
    ['zhaolei', '早，今天东盛电气有个技术交流，下午回公司。'],
    ['sunli', '我今天在奉贤，跑瑞康和星河酒店。'],
  ] },
  // 华南销售部
  { conversation: 'south', day: -13, time: '09:30', lines: [
    ['lina', '本周重点：粤海二期的技术协议、海川环保的招标准备。@{zhouqiang} 粤海的技术协议周三前要发出去。'],
    ['zhouqiang', '收到，在等研发确认一个参数。'],
    ['wuxia', '我这周主要跑鹏程医疗和明辉纺织。'],
    ['lina', '鹏程那边注意他们对认证的要求，资料提前备好。', 2],
  ] },
  { conversation: 'south', day: -11, time: '15:35', lines: [
    ['wuxia', '明辉纺织又来要备件报价了，量很小，要不要报？'],
    ['lina', '报，老客户要维护好，备件可以走现货价。'],
    ['zhouqiang', '他们的变频器还是十年前的型号，可以顺便推一下升级方案。'],
    ['lina', '好思路，@{wuxia} 下次带上升级方案的资料。'],
    ['wuxia', '好的👌'],
  ] },
  { conversation: 'south', day: -8, time: '10:50', lines: [
    ['zhouqiang', '永盛五金又要压价，还要求货到 60 天付款。'],
    ['lina', '永盛已经是劣质客户了，只做现款现货，不能松口。'],
    ['zhouqiang', '明白，我就这么回他。', 1],
  ] },
  { conversation: 'south', day: -6, time: '14:10', lines: [
    ['lina', '海川环保的招标文件下周发布，大家有什么资源一起想想。'],
    ['zhouqiang', '陆经理说技术评分占 60%，我们的方案要突出稳定性和本地服务。'],
    ['lina', '@{zhouqiang} 你牵头准备技术方案，我来对接云启软件做 MES 部分。'],
    ['zhouqiang', '好的。'],
    ['wuxia', '我之前做过顺德的一个污水厂项目，资料可以给你参考。'],
    ['zhouqiang', '太好了，发我邮箱。', 4],
  ] },
  { conversation: 'south', day: -3, time: '16:45', lines: [
    ['wuxia', '青松家居的高总说明年才改造，先放一放？'],
    ['lina', '保持联系，每月电话回访一次，节日记得问候。'],
    ['wuxia', '收到。'],
  ] },
  { conversation: 'south', day: -1, time: '18:50', evening: true, lines: [
    ['lina', '粤海许总监这周过生日，@{zhouqiang} 记得代表公司送个花篮。'],
    ['zhouqiang', '已经订好了，生日当天一早送过去。'],
  ] },
  // 销售中心管理群
  { conversation: 'salesLeads', day: -12, time: '09:20', lines: [
    ['liuyang', '上周销售数据：华东完成 186 万，华南 142 万。华南要加把劲。'],
    ['lina', '粤海二期下周落地，预计 90 万。'],
    ['zhangwei', '很好，粤海是铂金客户，服务要跟上。@{liuyang} 售后的响应速度你和黄敏协调一下。'],
    ['liuyang', '好的张总，我今天找黄敏碰一下。', 2],
  ] },
  { conversation: 'salesLeads', day: -10, time: '11:00', lines: [
    ['zhangwei', '原材料涨价，下月起伺服系列价格上调 3%，在手订单按原价执行。'],
    ['wangfang', '收到，我今天通知客户。'],
    ['lina', '华南有两个投标项目价格已经报出去了，按原价执行可以吗？'],
    ['zhangwei', '可以，投标期内的按原价。', 2],
    ['liuyang', '我让商务部出一个正式的调价通知。'],
  ] },
  { conversation: 'salesLeads', day: -5, time: '17:15', lines: [
    ['liuyang', '月度经营分析会下周一下午两点，各部门准备一下数据：回款、毛利、重点项目进度。'],
    ['wangfang', '好的。'],
    ['lina', '收到。'],
  ] },
  { conversation: 'salesLeads', day: -2, time: '10:30', lines: [
    ['wangfang', '天诚新能源进入技术评审了，陈静已经把它调成 A 类。预计下月签约 260 万。'],
    ['zhangwei', '这个项目很关键，需要我出面的话提前说。'],
    ['liuyang', '@{wangfang} 评审会我也参加。'],
    ['wangfang', '好的刘总，时间定了我告诉您。', 2],
  ] },
  // 华信二号线项目组
  { conversation: 'huaxinProject', day: -14, time: '10:00', lines: [
    ['chenjing', '华信二号产线改造项目启动了，这个群用来协调售前、交付和售后。'],
    ['xuhui', '收到，安装调试需要几个人？'],
    ['chenjing', '初步两个人，预计 5 天。@{heping} 你之前做过他们一号线，这次还得辛苦你。'],
    ['heping', '没问题，需要提前拿到电气图纸。'],
    ['chenjing', '图纸我周三从王工那里拿到就发群里。', 3],
  ] },
  { conversation: 'huaxinProject', day: -11, time: '16:30', lines: [
    ['chenjing', '图纸已经发到大家邮箱了，请查收。'],
    ['heping', '收到，我先看一下 I/O 点数。'],
    ['xuhui', '收到。'],
  ] },
  { conversation: 'huaxinProject', day: -6, time: '17:20', lines: [
    ['heping', '今天现场调试完成 70%，有一台伺服驱动器报过流，已经换了备件。'],
    ['wangfang', '辛苦了，客户那边什么反馈？'],
    ['heping', '李总监比较满意，说下个月三号线也想找我们。'],
    ['chenjing', '太好了👍 三号线我来跟进。', 2],
  ] },
  { conversation: 'huaxinProject', day: -4, time: '15:00', lines: [
    ['xuhui', '二号线调试全部完成，验收单客户已经签字。'],
    ['chenjing', '辛苦何工和徐经理！'],
    ['wangfang', '大家辛苦了，这个项目做得漂亮。'],
  ] },
  { conversation: 'huaxinProject', day: 0, time: '09:40', lines: [
    ['chenjing', '@{xuhui} 华信的李总监问二号线的操作培训能不能安排在下周二？'],
  ] },
  // 售后服务部
  { conversation: 'service', day: -13, time: '08:55', lines: [
    ['xuhui', '今天的工单：南方精密 2 台变频器报警，粤海电子 PLC 通讯故障。@{guoyan} 你跑一趟粤海。'],
    ['guoyan', '好的，十点出发。'],
    ['guoyan', '粤海的问题解决了，是交换机端口松动。'],
    ['huangmin', '处理得很快👍 记得填服务报告。', 2],
  ] },
  { conversation: 'service', day: -9, time: '10:10', lines: [
    ['heping', '备件库里的驱动板只剩 1 块了，要补货吗？'],
    ['xuhui', '补 5 块，我来提采购申请。'],
    ['huangmin', '编码器线也一起补一点。'],
  ] },
  { conversation: 'service', day: -5, time: '11:30', lines: [
    ['huangmin', '本月客户满意度回访结果：满意率 96%，有一条投诉是响应慢，大家注意。'],
    ['xuhui', '是金桥食品那单，当时人都在外面，已经和客户解释了。'],
    ['huangmin', '以后这种情况先电话远程指导。', 1],
  ] },
  { conversation: 'service', day: -1, time: '17:10', lines: [
    ['xuhui', '下次晨会改到 9 点，那天上午我要去华信。'],
    ['heping', '好'],
    ['guoyan', '收到'],
  ] },
  { conversation: 'service', day: -1, time: '20:30', evening: true, lines: [
    ['guoyan', '@{xuhui} 鹏程医疗的罗经理刚来电话，说有台设备要紧急处理，我明早直接过去？'],
  ] },
  // 汇通大家庭
  { conversation: 'all', day: -14, time: '08:40', lines: [
    ['zhangwei', '@{all} 各位同事，本周五下午三点全员大会，地点三楼会议室。'],
    ['huangmin', '收到'],
    ['wangfang', '收到'],
    ['lina', '收到'],
  ] },
  { conversation: 'all', day: -10, time: '12:10', lines: [
    ['maxiaoyun', '公司年中团建报名开始啦，地点千岛湖，两天一晚，本周三前找我报名～'],
    ['sunli', '报名+1'],
    ['guoyan', '+1'],
    ['linfeng', '+1，可以带家属吗？'],
    ['maxiaoyun', '可以的，家属费用自理哈。', 3],
  ] },
  { conversation: 'all', day: -9, time: '15:00', lines: [
    ['zhangwei', '恭喜华东销售部拿下恒通年度框架协议！大家向陈静学习。'],
    ['wangfang', '谢谢张总！'],
    ['chenjing', '谢谢张总，团队一起努力的结果。'],
    ['liuyang', '👏👏'],
  ] },
  { conversation: 'all', day: -8, time: '09:15', lines: [
    ['huangmin', '提醒大家：客户投诉要在 24 小时内响应，处理完在日程里记录结果。'],
  ] },
  { conversation: 'all', day: -3, time: '10:05', lines: [
    ['maxiaoyun', '展会的宣传册初稿出来了，欢迎大家提意见。'],
    ['lina', '很漂亮！粤海的案例数据我再核对一下。'],
  ] },
  { conversation: 'all', day: 0, time: '08:30', lines: [
    ['zhangwei', '本周五各部门把本月的回款和工作总结交给刘总和黄总。@{liuyang} @{huangmin} 汇总后周一给我。'],
  ] },
  // 展会筹备小组
  { conversation: 'expo', day: -12, time: '16:00', lines: [
    ['maxiaoyun', '工业自动化展会的展位订好了，B 馆 A12。展品清单 @{linfeng} 周五前出初稿。'],
    ['linfeng', '好的。'],
    ['liuyang', '华信和粤海的案例一定要放上去。'],
    ['maxiaoyun', '风驰传媒那边会做一期专访，需要一位销售负责人出镜。'],
    ['lina', '我可以。'],
    ['maxiaoyun', '太好了，我跟唐总监约时间。', 4],
  ] },
  { conversation: 'expo', day: -7, time: '14:45', lines: [
    ['linfeng', '展品清单初稿已发邮箱，请大家看看。'],
    ['wangfang', '华东这边建议加上远航物流的立体库案例。'],
    ['linfeng', '好的，已加上。', 1],
  ] },
  { conversation: 'expo', day: -2, time: '11:15', lines: [
    ['maxiaoyun', '专访定在下周四下午，@{lina} 你看时间可以吗？'],
    ['lina', '可以，提纲发我一下。'],
    ['maxiaoyun', '已发邮箱。'],
  ] },
  // 一对一
  { conversation: 'wangfang-chenjing', day: -11, time: '10:20', lines: [
    ['wangfang', '陈静，华信的报价我看了，第三项的折扣再收一点，最多 9 折。'],
    ['chenjing', '好的王经理，我改好再发您。'],
    ['chenjing', '改好了，已经发您邮箱。'],
    ['wangfang', '没问题了，发给客户吧。'],
  ] },
  { conversation: 'wangfang-chenjing', day: -1, time: '21:05', evening: true, lines: [
    ['wangfang', '天诚的评审材料记得带两份打印版。'],
    ['wangfang', '另外华信合同的盖章流程问一下李总监。'],
  ] },
  { conversation: 'chenjing-zhaolei', day: -7, time: '17:50', lines: [
    ['chenjing', '磊哥，明天去苏州顺路吗？想搭个车去博远😄'],
    ['zhaolei', '顺路，八点半公司楼下见。'],
    ['chenjing', '好嘞，谢谢！'],
  ] },
  { conversation: 'liuyang-wangfang', day: -6, time: '09:40', lines: [
    ['liuyang', '王芳，这个月华东还差多少？'],
    ['wangfang', '还差 35 万，恒通的首批订单下周能回款 20 万。'],
    ['liuyang', '天诚那边抓紧，争取月底前签。'],
    ['wangfang', '明白。'],
  ] },
  { conversation: 'lina-zhouqiang', day: -10, time: '13:30', lines: [
    ['lina', '粤海二期的技术协议今天能发过去吗？'],
    ['zhouqiang', '下午发，在等研发确认一个参数。'],
    ['lina', '好，发之前抄送我。'],
    ['zhouqiang', '已发，抄送您了。'],
  ] },
  { conversation: 'xuhui-heping', day: -9, time: '17:05', lines: [
    ['xuhui', '何平，明天华信的调试你带上郭燕，让她跟着学。'],
    ['heping', '没问题，让她九点到公司集合。'],
  ] },
  { conversation: 'chenjing-heping', day: -3, time: '15:25', lines: [
    ['chenjing', '何工，华信的李总监问调试报告什么时候能给？'],
    ['heping', '今天晚上整理好，明早发你。'],
    ['chenjing', '辛苦啦🙏'],
  ] },
  { conversation: 'sunli-chenjing', day: -2, time: '12:30', lines: [
    ['sunli', '静姐，远航物流的周主任这周过生日，我们一般送什么？'],
    ['chenjing', '一般订个蛋糕加一束花，公司有客户关怀预算，找行政报销就行。'],
    ['sunli', '好的谢谢～'],
  ] },
  { conversation: 'sunli-chenjing', day: 0, time: '09:15', lines: [
    ['sunli', '静姐，天诚的评审会我能去旁听学习一下吗？'],
  ] },
  { conversation: 'zhangwei-liuyang', day: -4, time: '11:50', lines: [
    ['zhangwei', '刘洋，下午来我办公室聊一下二季度的人员计划。'],
    ['liuyang', '好的张总，三点过去。'],
  ] },
  { conversation: 'maxiaoyun-linfeng', day: -5, time: '10:35', lines: [
    ['maxiaoyun', '林峰，风驰传媒的稿子初稿出来了吗？'],
    ['linfeng', '出来了，已经发你邮箱。'],
    ['maxiaoyun', '我看了，第二部分的数据再核对一下。'],
    ['linfeng', '好的，下午改完。'],
  ] },
  { conversation: 'wuxia-lina', day: -4, time: '14:15', lines: [
    ['wuxia', '李经理，鹏程医疗想要我们医疗行业的资质文件，我们有吗？'],
    ['lina', '找质量部要，他们有供应商资质文件包。'],
    ['wuxia', '好的。'],
  ] },
  { conversation: 'guoyan-xuhui', day: -8, time: '16:40', lines: [
    ['guoyan', '徐经理，我下周二想请一天假，家里有点事。'],
    ['xuhui', '可以，OA 上提一下，工单我安排何平。'],
    ['guoyan', '谢谢徐经理！'],
  ] },
  { conversation: 'zhaolei-wangfang', day: -1, time: '19:45', evening: true, lines: [
    ['zhaolei', '王经理，东盛电气刘科长说他们下个月有一批变频器要招标，我们一个多月没去拜访了，下周我约一下？'],
  ] },
  // More of the same weeks.
  { conversation: 'east', day: -10, time: '10:30', lines: [
    ['sunli', '远航物流的周主任问立体库二期什么时候可以开始报价？'],
    ['wangfang', '先把一期的验收做完再说。@{sunli} 验收报告催一下。'],
    ['sunli', '好的，我今天就打电话。', 1],
  ] },
  { conversation: 'east', day: -6, time: '17:30', lines: [
    ['zhaolei', '东盛电气的投标文件我发邮箱了，大家帮忙看看有没有错漏。'],
    ['chenjing', '第 12 页的型号写错了，应该是 G120 不是 G110。'],
    ['zhaolei', '感谢！马上改。', 1],
    ['wangfang', '投标文件一定要两个人交叉检查，这个习惯要保持。'],
  ] },
  { conversation: 'south', day: -12, time: '11:20', lines: [
    ['zhouqiang', '南方精密的何经理说下个月要扩一条注塑线，变频器需求大概 20 台。'],
    ['lina', '好机会，尽快约林总工做技术交流。'],
    ['zhouqiang', '已经约了下周三。'],
    ['lina', '👍 方案准备好先发我看。', 2],
  ] },
  { conversation: 'south', day: -4, time: '15:50', lines: [
    ['wuxia', '鹏程医疗的样品测试通过了！罗经理说下个月开始小批量采购。'],
    ['lina', '太好了👏 把鹏程的跟进计划更新一下。'],
    ['zhouqiang', '恭喜吴霞！'],
  ] },
  { conversation: 'service', day: -11, time: '14:05', lines: [
    ['guoyan', '南方精密的变频器报警 F0001，过流，现场检查电机绝缘正常。'],
    ['xuhui', '查一下加速时间设置，可能太短了。'],
    ['guoyan', '确实，加速时间只有 0.5 秒，改成 3 秒后正常了。', 1],
    ['xuhui', '好，服务报告里把原因写清楚。'],
  ] },
  { conversation: 'service', day: -7, time: '09:20', lines: [
    ['huangmin', '从下周开始，铂金客户的巡检改成每月一次。@{xuhui} 排一下计划。'],
    ['xuhui', '好的黄总，周五前出计划。'],
  ] },
  { conversation: 'all', day: -6, time: '12:00', lines: [
    ['huangmin', '食堂下周一开始换新菜单，欢迎大家提意见😄'],
    ['guoyan', '终于有麻辣烫了吗？'],
    ['linfeng', '哈哈哈'],
  ] },
  { conversation: 'all', day: -2, time: '16:20', lines: [
    ['liuyang', '提醒大家：本月最后一周，回款是第一要务。'],
    ['zhangwei', '辛苦大家，月底庆功会我请客。'],
  ] },
  { conversation: 'liuyang-wangfang', day: -13, time: '18:00', lines: [
    ['wangfang', '刘总，华信二号线的报价毛利 19.5%，我审过了，您看可以吗？'],
    ['liuyang', '可以，发吧。'],
  ] },
  { conversation: 'lina-zhouqiang', day: -5, time: '10:10', lines: [
    ['zhouqiang', '海川环保的技术方案初稿写好了，您有空看一下？'],
    ['lina', '下午看，晚点给你意见。'],
    ['lina', '看完了，系统架构图画得很清楚，MES 接口那部分再请云启的谢总确认一下。'],
    ['zhouqiang', '好的。'],
  ] },
  { conversation: 'chenjing-zhaolei', day: -12, time: '12:05', lines: [
    ['zhaolei', '中午一起吃饭？楼下新开了一家兰州拉面。'],
    ['chenjing', '好呀，十二点半。'],
  ] },
  { conversation: 'xuhui-heping', day: -3, time: '09:50', lines: [
    ['heping', '华信二号线的调试报告发您邮箱了。'],
    ['xuhui', '收到，写得很详细👍'],
  ] },
];

/** Morning check-ins: the manager asks, each member answers with the day's plan from their schedule. */
export const checkIns = {
  groups: [
    { conversation: 'east', manager: 'wangfang', members: ['chenjing', 'zhaolei', 'sunli'] },
    { conversation: 'south', manager: 'lina', members: ['zhouqiang', 'wuxia'] },
    { conversation: 'service', manager: 'xuhui', members: ['heping', 'guoyan'] },
  ],
  greetings: ['大家早，今天各自的安排发一下。', '早上好，报一下今天的行程。', '各位早，今天有外出的在群里说一下。', '早，今天的安排？'],
  office: ['今天在公司整理资料。', '今天在公司，有事随时找我。'],
  answers: ['好的，注意安全。', '收到，有进展群里说一声。', '结果记得录进日程。', '报价发我看一下再给客户。', '需要支援的话提前说。'],
};
