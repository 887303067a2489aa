// How the page shows instants: the local date and time, and "3 min ago".

const timeParts = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' };
const thisYearFormat = new Intl.DateTimeFormat(undefined, timeParts);
const otherYearFormat = new Intl.DateTimeFormat(undefined, { ...timeParts, year: 'numeric' });

/** Local date and time; the year only when it is not this year's, to keep the column narrow. */
export function localTime(iso) {
  const time = new Date(iso);
  const format = time.getFullYear() === new Date().getFullYear() ? thisYearFormat : otherYearFormat;
  return format.format(time);
}

export function relativeTime(iso, now = Date.now()) {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}
