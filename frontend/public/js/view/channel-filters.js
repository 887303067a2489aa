// The filters: channel checkboxes with their counts, severity, status and the created-at range.
import { SEVERITIES, STATUSES } from '../rules.js';
import { byId as $ } from './dom.js';
import { addOptions } from './labels.js';

const dom = {
  filtersForm: $('filters-form'),
  channelList: $('channel-list'),
  channelAll: $('channel-all'),
  channelSuggestions: $('channel-suggestions'),
  filterSeverity: $('filter-severity'),
  filterStatus: $('filter-status'),
  filterFrom: $('filter-from'),
  filterTo: $('filter-to'),
  channelTemplate: $('channel-option-template'),
};

const channelItems = new Map();

// Most severe first: the value an operator filters on most.
addOptions(dom.filterSeverity, [...SEVERITIES].reverse());
addOptions(dom.filterStatus, STATUSES);

function totalText(channel) {
  return `(${channel.total})`;
}

function countsText(channel) {
  return `${channel.open} open · ${channel.acknowledged} acknowledged · ${channel.resolved} resolved`;
}

/** Channel checkboxes with their counts, plus the create form's suggestions. Keeps each item's node and state. */
export function renderChannels(channels, selected) {
  const names = new Set(channels.map((channel) => channel.name));
  for (const [name, item] of channelItems) {
    // A selected channel stays listed even if the server forgot it, so the operator can untick it.
    if (!names.has(name) && !selected.includes(name)) {
      item.remove();
      channelItems.delete(name);
    }
  }
  let previous = dom.channelAll.closest('li');
  const all = [...channels];
  for (const name of selected) {
    if (!names.has(name)) all.push({ name, total: 0, open: 0, acknowledged: 0, resolved: 0 });
  }
  all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const channel of all) {
    let item = channelItems.get(channel.name);
    if (!item) {
      item = dom.channelTemplate.content.firstElementChild.cloneNode(true);
      const box = item.querySelector('input');
      box.value = channel.name;
      box.checked = selected.includes(channel.name);
      item.querySelector('.channel-name').textContent = channel.name;
      channelItems.set(channel.name, item);
    }
    item.querySelector('.channel-total').textContent = totalText(channel);
    item.querySelector('.channel-counts').textContent = countsText(channel);
    if (previous.nextElementSibling !== item) previous.after(item);
    previous = item;
  }

  const options = all.map((channel) => {
    const option = document.createElement('option');
    option.value = channel.name;
    return option;
  });
  dom.channelSuggestions.replaceChildren(...options);
}

function toInstant(localValue) {
  if (!localValue) return '';
  const time = new Date(localValue);
  return Number.isNaN(time.getTime()) ? '' : time.toISOString();
}

function readFilters() {
  const channels = [...dom.channelList.querySelectorAll('input.channel-checkbox:checked')].map((box) => box.value);
  return {
    channels,
    severity: dom.filterSeverity.value,
    status: dom.filterStatus.value,
    from: toInstant(dom.filterFrom.value),
    to: toInstant(dom.filterTo.value),
  };
}

export function bindFilters(onChange) {
  dom.filtersForm.addEventListener('change', (event) => {
    const box = event.target;
    if (box === dom.channelAll) {
      // "All channels" and single channels exclude each other.
      if (box.checked) {
        for (const other of dom.channelList.querySelectorAll('input.channel-checkbox')) other.checked = false;
      } else if (!dom.channelList.querySelector('input.channel-checkbox:checked')) {
        box.checked = true; // nothing ticked means every channel
      }
    } else if (box.classList.contains('channel-checkbox')) {
      dom.channelAll.checked = !dom.channelList.querySelector('input.channel-checkbox:checked');
    }
    onChange(readFilters());
  });
  dom.filtersForm.addEventListener('submit', (event) => event.preventDefault());
  dom.filtersForm.addEventListener('reset', (event) => {
    event.preventDefault();
    for (const box of dom.channelList.querySelectorAll('input.channel-checkbox')) box.checked = false;
    dom.channelAll.checked = true;
    dom.filterSeverity.value = '';
    dom.filterStatus.value = '';
    dom.filterFrom.value = '';
    dom.filterTo.value = '';
    onChange(readFilters());
  });
}
