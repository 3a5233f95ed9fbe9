// Adaptive Cards: templates in cards/*.json bound to view models built from domain data.
export * from './render';
export { ADAPTIVE_CARD_CONTENT_TYPE, CardRenderError, type CardAttachment, type CardRenderErrorCode } from './bind';
export { MAX_VISIBLE_ACTIONS, type ActionPayload } from './actions';
export {
  MAX_EVIDENCE_LINES,
  EVIDENCE_LINE_CHARS,
  type ChoiceCardInput,
  type ChoicePurpose,
  type DiagnosisCardInput,
  type ListCardInput,
  type ListedTemplate,
  type LogCardInput,
  type ScanExtent,
  type StatusCardInput,
  type TemplateRef,
} from './view-models';
export { ERROR_CARD_CODES, EXAMPLE_KEYS, exampleQuestion, type ErrorCardCode, type ErrorCardInput, type ErrorParams, type SuggestedTemplate } from './conversation-view-models';
