// The page-wide notice: one message at a time, dismissed by the operator or cleared when things recover.
import { byId as $ } from './dom.js';

const dom = {
  notice: $('notice'),
  noticeText: $('notice-text'),
  noticeDismiss: $('notice-dismiss'),
};

export function showNotice(message) {
  dom.noticeText.textContent = message;
  dom.notice.hidden = false;
}

export function clearNotice() {
  dom.notice.hidden = true;
  dom.noticeText.textContent = '';
}

export function bindNotice() {
  dom.noticeDismiss.addEventListener('click', clearNotice);
}
