# ruff: noqa: E501  (one message per line reads and translates better than wrapped strings)
"""Default wording of proposed action items (Chinese and English).

The app passes one of these mappings (or its own) to :func:`analysis.action_items.propose`;
``{placeholders}`` are filled from the item's evidence. ``remedy.<rule>.<subject>`` entries give
a concrete remedy for one dimension, theme or ticket kind; ``remedy.<rule>`` is the fallback.
"""

from __future__ import annotations

__all__ = ["LABELS_EN", "LABELS_ZH", "TEXTS_EN", "TEXTS_ZH"]

TEXTS_ZH: dict[str, str] = {
    "title.below_target": "{label}得分低于合同目标（{month}：均分 {mean}，目标 {target_mean}）",
    "title.significant_drop": "{label}满意度显著下降（{previous_month} → {month}：{csat_before}% → {csat}%）",
    "title.sla_breach": "{label}未达合同时限（{month} 达标率 {compliance}%，{breaches} 单违约）",
    "title.recurring_theme": "低分评论连续两个月集中反映“{label}”问题",
    "title.low_response_rate": "{month} 回复率 {rate}% 低于目标 {target}%，样本代表性不足",
    "remedy.below_target": "复盘本月该维度的低分（1–2 分）回答和相关工单，找出前三位原因；针对原因对一线客服开展专项培训与质检抽查；下一周期开始前复查改进效果。",
    "remedy.below_target.responsiveness": "按班次重新排班覆盖咨询高峰，设置 12 小时未回复预警，由组长每日跟进超时工单，确保 24 小时内首次回复。",
    "remedy.below_target.complaint_handling": "建立投诉专人负责制，投诉受理后 4 小时内联系客户确认诉求，24 小时内给出方案，48 小时内闭环并回访。",
    "remedy.below_target.professional_knowledge": "整理本月客户提问最多的产品与行业问题，更新知识库，组织产品知识培训并进行考核，未通过者复训。",
    "remedy.below_target.problem_solving": "对未一次解决的工单做根因分析，制定常见问题处理流程和升级路径，提高首次解决率。",
    "remedy.below_target.courtesy": "开展服务礼仪与沟通话术培训，抽查通话录音和聊天记录，对态度问题逐一辅导并纳入绩效考核。",
    "remedy.below_target.confidentiality": "重申保密制度，检查客户信息访问权限与日志，开展保密培训并签署保密承诺，排查信息外泄渠道。",
    "remedy.below_target.overall": "召开月度服务复盘会，结合各维度得分和评论确定两项重点改进措施，指定负责人并在下一周期前复查。",
    "remedy.significant_drop": "与上月对比该维度的低分回答、评论和工单，确认下降原因（人员变动、流程变化、业务高峰等），针对原因采取纠正措施并在下一周期重点跟踪。",
    "remedy.sla_breach": "逐单复盘违约工单的原因，补充人手或调整排班，设置临近时限的自动预警；依据第五条评估违约责任并向乙方说明整改措施。",
    "remedy.sla_breach.inquiry": "逐单复盘超过 24 小时未回复的咨询，设置 12 小时未回复预警并安排专人清理积压，确保所有咨询 24 小时内首次回复；依据第五条向乙方说明原因和整改。",
    "remedy.sla_breach.complaint": "逐单复盘超过 48 小时未给出方案的投诉，指定投诉专人并设置 24 小时升级机制，确保 48 小时内给出解决方案；依据第五条向乙方说明原因和整改。",
    "remedy.recurring_theme": "该问题已连续两个月出现在低分评论中：指定负责人做根因分析，制定并执行整改措施，在下一周期的评论中跟踪该主题是否减少。",
    "remedy.low_response_rate": "在下一周期对未回复客户发送提醒，增加短信和二维码渠道，缩短问卷并在服务结束时当场邀请填写，以提高回复率。",
}

TEXTS_EN: dict[str, str] = {
    "title.below_target": "{label} below the contract target ({month}: mean {mean}, target {target_mean})",
    "title.significant_drop": "{label} satisfaction dropped significantly ({previous_month} → {month}: {csat_before}% → {csat}%)",
    "title.sla_breach": "{label} missed the contract deadline ({month}: {compliance}% on time, {breaches} breaches)",
    "title.recurring_theme": 'Low scorers\' comments raise "{label}" two months running',
    "title.low_response_rate": "Response rate {rate}% in {month} is below the {target}% target: sample not representative",
    "remedy.below_target": "Review this month's low (1-2) answers and related tickets for this dimension, find the top three causes, train and coach the front line on them, and re-check before the next cycle.",
    "remedy.below_target.responsiveness": "Re-plan shifts to cover inquiry peaks, alert on inquiries unanswered after 12 hours and have team leads chase overdue tickets daily so every inquiry gets a first reply within 24 hours.",
    "remedy.below_target.complaint_handling": "Give each complaint a named owner: contact the customer within 4 hours, propose a solution within 24 hours, close and follow up within 48 hours.",
    "remedy.below_target.professional_knowledge": "Collect the month's most frequent product and industry questions, update the knowledge base, train and test the agents, and retrain those who fail.",
    "remedy.below_target.problem_solving": "Run a root-cause review of tickets not solved at first contact, write procedures and escalation paths for common problems, and raise the first-contact resolution rate.",
    "remedy.below_target.courtesy": "Train service etiquette and phrasing, sample call recordings and chats, coach each conduct issue and include it in performance reviews.",
    "remedy.below_target.confidentiality": "Restate the confidentiality rules, audit access rights and logs for customer data, train the team and collect signed confidentiality pledges.",
    "remedy.below_target.overall": "Hold a monthly service review, pick the two most important improvements from the dimension scores and comments, assign owners and re-check before the next cycle.",
    "remedy.significant_drop": "Compare this dimension's low answers, comments and tickets with last month to find the cause of the drop (staff changes, process changes, peaks) and correct it; track it closely next cycle.",
    "remedy.sla_breach": "Review every breached ticket, add staff or adjust shifts, alert before deadlines; assess liability under clause 五 and explain the remedy to the client.",
    "remedy.sla_breach.inquiry": "Review every inquiry unanswered after 24 hours, alert at 12 hours and assign someone to clear the backlog so every inquiry gets a first reply within 24 hours; explain cause and remedy to the client under clause 五.",
    "remedy.sla_breach.complaint": "Review every complaint without a solution after 48 hours, name a complaint owner and escalate at 24 hours so every complaint gets a solution within 48 hours; explain cause and remedy to the client under clause 五.",
    "remedy.recurring_theme": "This issue has appeared in low scorers' comments two months running: assign an owner for a root-cause review, carry out the fix and check next cycle's comments for the theme.",
    "remedy.low_response_rate": "Remind non-responders in the next cycle, add SMS and QR-code channels, shorten the survey and invite customers at the end of each service contact.",
}

LABELS_ZH: dict[str, str] = {
    "responsiveness": "咨询响应",
    "complaint_handling": "投诉处理",
    "professional_knowledge": "专业知识",
    "problem_solving": "解决问题能力",
    "courtesy": "服务态度与举止",
    "confidentiality": "保密与信任",
    "overall": "总体满意度",
    "inquiry": "咨询 24 小时回复",
    "complaint": "投诉 48 小时解决",
    "nps": "净推荐值（NPS）",
    "response_rate": "回复率",
}

LABELS_EN: dict[str, str] = {
    "responsiveness": "Responsiveness",
    "complaint_handling": "Complaint handling",
    "professional_knowledge": "Professional knowledge",
    "problem_solving": "Problem solving",
    "courtesy": "Courtesy and conduct",
    "confidentiality": "Confidentiality and trust",
    "overall": "Overall satisfaction",
    "inquiry": "Inquiry reply within the contract hours",
    "complaint": "Complaint solution within the contract hours",
    "nps": "Net promoter score",
    "response_rate": "Response rate",
}
