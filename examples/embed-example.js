// The example host's own script: it mounts the app, switches its theme through CSS
// custom properties and logs every `mass-updater:*` event the app dispatches.
import { mount } from './embed.js';

const element = document.getElementById('mass-updater');
const log = document.getElementById('event-log');
let app;
let second;

async function start(theme) {
  app?.unmount();
  app = await mount(element, { theme: theme === 'brand' ? 'light' : theme, allowAdvancedHeaders: true });
  element.classList.toggle('brand', theme === 'brand');
}

for (const name of ['file-accepted', 'file-rejected', 'submitted', 'status-changed', 'completed', 'failed']) {
  document.addEventListener(`mass-updater:${name}`, (event) => {
    const item = document.createElement('li');
    const time = new Date().toLocaleTimeString();
    item.textContent = `${time} ${event.type} ${JSON.stringify(event.detail)}`;
    log.prepend(item);
  });
}

document.getElementById('theme').addEventListener('change', (e) => start(e.target.value));
document.getElementById('remount').addEventListener('click', () => start(document.getElementById('theme').value));
document.getElementById('second').addEventListener('click', async (e) => {
  e.target.disabled = true;
  second = await mount(document.getElementById('second-instance'), { theme: 'auto' });
});

await start('auto');
document.body.dataset.ready = 'true';
