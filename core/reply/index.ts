/** Reply choice and rendering: pure, driven by rules/replies.yaml. */
export { chooseReply, chooseRecipient, stripReplyMarkers, NO_REPLY_REASONS } from './choose-reply';
export type { ReplyAddress, ReplyContext, ReplyDecision } from './choose-reply';
export { listChecklistItems, renderChecklist, findMisplacedSections } from './render-checklist';
export type { ChecklistItem, ChecklistState } from './render-checklist';
export { fillTemplate, ReplyTemplateError } from './fill-template';
export {
  replyRulesSchema,
  findPlaceholderProblems,
  TEMPLATE_NAMES,
  TEMPLATE_PLACEHOLDERS,
  CHECKLIST_PLACEHOLDERS,
} from './reply-rules-schema';
export type { ReplyRules, TemplateName, TemplatePlaceholder, ChecklistWording } from './reply-rules-schema';
