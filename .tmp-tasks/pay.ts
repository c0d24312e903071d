import { api, startStack } from '../test/helpers/stack';
const stack = await startStack();
try {
  const phone = '13800138009';
  await api(stack.api, 'POST', '/auth/send-code', { body: { phone } });
  const sms = await (await fetch(`${stack.sandbox}/_sandbox/sms/latest?phone=${phone}`)).json() as { code: string };
  const login = await api(stack.api, 'POST', '/auth/login', { body: { phone, code: sms.code } });
  const token = String(login.json.data?.token);
  for (const channel of ['alipay', 'wx']) {
    const purchase = await api(stack.api, 'POST', '/membership/purchase', { token, body: { channel } });
    console.log(channel, purchase.status, purchase.text.slice(0, 300));
    const r = await fetch(`${stack.sandbox}/_sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: purchase.json.data?.orderId }) });
    console.log(r.status, (await r.text()).slice(0, 300));
  }
} finally { await stack.stop(); }
