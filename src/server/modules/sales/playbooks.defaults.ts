import type { RecommendedItem, TalkTrack } from './playbooks.schema.js';

// The default playbooks of the seed-004 standard pipeline (客户拜访、需求调研、方案设计、报价、
// 谈判及签约): a standard way of working, talk tracks and recommended steps per stage, keyed by
// the stage's Chinese name. Companies rewrite them in the playbook editor.

export interface PlaybookContent {
  guidanceZh: string;
  guidanceEn: string;
  talkTracks: TalkTrack[];
  recommended: RecommendedItem[];
}

export const DEFAULT_PLAYBOOKS: Record<string, PlaybookContent> = {
  拜访: {
    guidanceZh:
      '目标：建立信任，确认客户是否值得投入。\n1. 拜访前查看客户档案、历史联系记录与所属行业动态；\n2. 预约时说明拜访目的与时长（建议 30–45 分钟）；\n3. 现场先介绍公司与本人，再以开放式问题了解客户现状；\n4. 结束前约定下一步（需求调研会议或资料发送），当天录入拜访记录。',
    guidanceEn:
      'Goal: build trust and find out whether the account is worth pursuing.\n1. Before the visit, read the customer record, past contacts and news of their industry.\n2. When booking, state the purpose and length (30–45 minutes).\n3. Introduce the company and yourself, then ask open questions about how they work today.\n4. Agree on a next step (a needs meeting or material to send) and log the visit the same day.',
    talkTracks: [
      {
        key: 'opening',
        titleZh: '开场白',
        titleEn: 'Opening',
        scriptZh:
          '您好，王总，我是{公司}的{姓名}。感谢您抽出时间。今天想用半小时左右了解一下贵公司目前在{领域}方面的做法，看看我们有没有能帮上忙的地方，您看可以吗？',
        scriptEn:
          'Good morning, Mr Wang. I am {name} from {company}; thank you for your time. I would like to spend about half an hour understanding how you handle {area} today and whether we can help. Does that work for you?',
      },
      {
        key: 'referral',
        titleZh: '转介绍开场',
        titleEn: 'Referral opening',
        scriptZh: '{推荐人}建议我来拜访您，他们用了我们的方案后{成果}，他觉得贵公司可能也会关心类似的问题。',
        scriptEn:
          '{referrer} suggested I call on you. Since using our solution they have {result}, and they thought you might face a similar question.',
      },
    ],
    recommended: [
      {
        key: 'research_account',
        textZh: '拜访前查阅客户档案与行业动态',
        textEn: 'Research the account and its industry first',
      },
      { key: 'log_visit', textZh: '当天录入拜访记录', textEn: 'Log the visit the same day' },
    ],
  },
  需求调研: {
    guidanceZh:
      '目标：弄清客户的问题、预算、决策链和时间表。\n1. 以提问为主，少讲产品；\n2. 识别决策人、使用人、技术把关人；\n3. 确认预算范围与采购流程；\n4. 会后 24 小时内发送需求确认纪要，请客户书面确认。',
    guidanceEn:
      'Goal: understand the problem, budget, decision chain and timetable.\n1. Ask more than you tell; keep product talk short.\n2. Identify the decision maker, the users and the technical gatekeeper.\n3. Confirm the budget range and the purchasing process.\n4. Within 24 hours send minutes of the needs and ask the customer to confirm them in writing.',
    talkTracks: [
      {
        key: 'needs_questions',
        titleZh: '需求探询问题',
        titleEn: 'Needs questions',
        scriptZh:
          '1. 目前这项工作是怎么做的？最让您头疼的是哪一环？\n2. 这个问题每月大概带来多少损失或额外成本？\n3. 如果问题解决了，您希望看到什么结果？\n4. 除了您，还有哪些部门会参与评估和决策？\n5. 这个项目大概的预算范围和时间安排是怎样的？',
        scriptEn:
          '1. How is this done today, and which step causes the most trouble?\n2. Roughly what does the problem cost you each month?\n3. If it were solved, what result would you like to see?\n4. Besides you, which departments take part in evaluating and deciding?\n5. What budget range and timetable do you have in mind?',
      },
      {
        key: 'confirm_needs',
        titleZh: '需求确认',
        titleEn: 'Confirming the needs',
        scriptZh:
          '我把今天听到的总结一下：您最关心的是{需求1}和{需求2}，希望在{时间}前上线，预算在{范围}。我理解得对吗？',
        scriptEn:
          'Let me sum up what I heard: your main concerns are {need 1} and {need 2}, you want it live by {date}, and the budget is around {range}. Have I understood correctly?',
      },
    ],
    recommended: [
      { key: 'map_decision_chain', textZh: '画出客户决策链', textEn: 'Map the decision chain' },
      {
        key: 'send_minutes',
        textZh: '24 小时内发送需求纪要',
        textEn: 'Send the needs minutes within 24 hours',
      },
    ],
  },
  方案设计: {
    guidanceZh:
      '目标：给出针对客户需求的方案，并让关键人认可。\n1. 以需求纪要为依据，逐条对应解决方式；\n2. 使用公司方案模板（见下方文档模板）；\n3. 尽量安排演示或试用，邀请技术把关人参加；\n4. 演示后收集反馈，必要时修改方案。',
    guidanceEn:
      'Goal: propose a solution to the confirmed needs and win the key people over.\n1. Answer each confirmed need point by point.\n2. Use the company solution template (see the document templates below).\n3. Arrange a demo or trial and invite the technical gatekeeper.\n4. Collect feedback after the demo and revise the proposal where needed.',
    talkTracks: [
      {
        key: 'value_statement',
        titleZh: '价值陈述',
        titleEn: 'Value statement',
        scriptZh: '针对您提到的{问题}，我们的方案通过{做法}，在类似客户那里把{指标}从{原值}提升到了{新值}。',
        scriptEn:
          'For the {problem} you mentioned, our solution does {approach}; at similar customers it moved {measure} from {before} to {after}.',
      },
    ],
    recommended: [
      { key: 'use_template', textZh: '使用标准方案模板', textEn: 'Use the standard proposal template' },
      { key: 'demo', textZh: '安排产品演示或试用', textEn: 'Arrange a demo or trial' },
    ],
  },
  报价: {
    guidanceZh:
      '目标：给出有竞争力且守住利润的报价。\n1. 从价格表取价，折扣按公司政策（超过权限需审批）；\n2. 报价前确认数量、交付与付款条件；\n3. 报价单注明有效期；\n4. 发送后 2–3 个工作日内跟进客户意见。',
    guidanceEn:
      'Goal: a competitive quote that keeps the margin.\n1. Take prices from the price list; discounts follow the policy (beyond your limit needs approval).\n2. Confirm quantities, delivery and payment terms before quoting.\n3. State the validity date on the quote.\n4. Follow up within 2–3 working days of sending it.',
    talkTracks: [
      {
        key: 'present_price',
        titleZh: '报价说明',
        titleEn: 'Presenting the price',
        scriptZh:
          '这份报价包含了{范围}，按您确认的数量计算。价格在{日期}前有效，如需调整付款方式我们可以一起商量。',
        scriptEn:
          'This quote covers {scope} for the quantities you confirmed. It is valid until {date}; if you need different payment terms, we can discuss them.',
      },
      {
        key: 'price_objection',
        titleZh: '应对"价格太高"',
        titleEn: 'Handling "too expensive"',
        scriptZh:
          '理解您的顾虑。除了价格，您还会比较哪些方面？我们可以一起算一下总体使用成本：{节省项}每年能为您节省约{金额}。',
        scriptEn:
          'I understand. Besides the price, what else are you comparing? Let us look at the total cost of ownership together: {saving} saves you about {amount} a year.',
      },
    ],
    recommended: [
      { key: 'follow_up_quote', textZh: '发送后 3 天内跟进', textEn: 'Follow up within 3 days of sending' },
    ],
  },
  谈判: {
    guidanceZh:
      '目标：在可接受的条件下达成一致。\n1. 事先列出可让步与不可让步的条款；\n2. 每次让步都换取对方的承诺（如付款提前、数量增加）；\n3. 非标准条款提交合同评审；\n4. 谈妥后尽快整理条款确认函。',
    guidanceEn:
      'Goal: agree on terms you can accept.\n1. List beforehand what you can and cannot give.\n2. Trade every concession for a commitment (earlier payment, larger quantity).\n3. Send non-standard terms to contract review.\n4. Write up the agreed terms promptly.',
    talkTracks: [
      {
        key: 'trade_concession',
        titleZh: '交换式让步',
        titleEn: 'Trading a concession',
        scriptZh: '如果贵公司能在{日期}前签约并预付{比例}，我可以向公司申请{让步}。',
        scriptEn:
          'If you can sign by {date} with {share} paid in advance, I can ask my company for {concession}.',
      },
    ],
    recommended: [{ key: 'walk_away_terms', textZh: '明确底线条款', textEn: 'Know your walk-away terms' }],
  },
  签约: {
    guidanceZh:
      '目标：顺利签约并交接执行。\n1. 使用标准合同模板，确认付款计划与交付时间；\n2. 合同经评审通过后再签署；\n3. 签约后向客户介绍交付与服务对接人；\n4. 在系统中登记合同并安排回款跟进。',
    guidanceEn:
      'Goal: sign and hand over to delivery.\n1. Use the standard contract template; confirm the payment plan and delivery dates.\n2. Sign only after the contract review is approved.\n3. Introduce the delivery and service contacts to the customer.\n4. Register the contract and schedule the collection follow-up.',
    talkTracks: [
      {
        key: 'thank_and_handover',
        titleZh: '签约致谢与交接',
        titleEn: 'Thanks and handover',
        scriptZh:
          '感谢您对我们的信任。接下来由{交付负责人}负责实施，他会在{日期}前与您确认启动计划，我也会持续跟进。',
        scriptEn:
          'Thank you for your trust. {delivery lead} will run the delivery and confirm the kick-off plan with you by {date}; I will stay in touch throughout.',
      },
    ],
    recommended: [],
  },
};
