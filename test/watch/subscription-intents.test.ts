import { parseSubscriptionCommand } from '../../src/bot/intents/subscriptions';

// What people type to get failure notifications, in the six languages.

describe.each([
  ['en', 'subscribe', 'unsubscribe', 'subscriptions', 'mute win2022-base for 2h'],
  ['pt-BR', 'assinar', 'cancelar assinatura', 'assinaturas', 'silenciar win2022-base por 2h'],
  ['it-IT', 'iscriviti', 'annulla iscrizione', 'iscrizioni', 'silenzia win2022-base per 2h'],
  ['fr-FR', "s'abonner", 'se désabonner', 'abonnements', 'sourdine win2022-base pendant 2h'],
  ['zh-CN', '订阅', '取消订阅', '我的订阅', '静音 win2022-base 2小时'],
  ['ja-JP', '購読', '購読解除', '購読一覧', 'ミュート win2022-base 2時間'],
])('%s', (_, subscribe, unsubscribe, list, mute) => {
  test('subscribe, unsubscribe, list, mute', () => {
    expect(parseSubscriptionCommand(subscribe)).toEqual({ kind: 'subscribe', outcomes: 'failures' });
    expect(parseSubscriptionCommand(unsubscribe)).toEqual({ kind: 'unsubscribe' });
    expect(parseSubscriptionCommand(list)).toEqual({ kind: 'subscriptions' });
    expect(parseSubscriptionCommand(mute)).toEqual({ kind: 'mute', template: 'win2022-base', durationMs: 7_200_000 });
  });
});

test('scope, glob and outcomes', () => {
  expect(parseSubscriptionCommand('subscribe to resource group rg-images templates win-* all')).toEqual({
    kind: 'subscribe',
    resourceGroup: 'rg-images',
    templateGlob: 'win-*',
    outcomes: 'all',
  });
  expect(parseSubscriptionCommand('assinar grupo de recursos rg-images modelos ubuntu-* todos')).toEqual({ kind: 'subscribe', resourceGroup: 'rg-images', templateGlob: 'ubuntu-*', outcomes: 'all' });
  expect(parseSubscriptionCommand('订阅 资源组 rg-images 模板 win-*')).toEqual({ kind: 'subscribe', resourceGroup: 'rg-images', templateGlob: 'win-*', outcomes: 'failures' });
  expect(parseSubscriptionCommand('subscribe failures')).toEqual({ kind: 'subscribe', outcomes: 'failures' });
});

test('a mute without a readable duration is answered, not ignored; other text is not a subscription request', () => {
  expect(parseSubscriptionCommand('mute win2022-base')).toEqual({ kind: 'mute-invalid', template: 'win2022-base' });
  expect(parseSubscriptionCommand('mute win2022-base for a while')).toEqual({ kind: 'mute-invalid', template: 'win2022-base' });
  expect(parseSubscriptionCommand('mute')).toEqual({ kind: 'mute-invalid' });
  for (const other of ['why did win2022-base fail?', 'status of win2022-running', 'list failed templates', 'subscriptionless-template status', '']) {
    expect(parseSubscriptionCommand(other)).toBeUndefined();
  }
});
