// The words the page shows for the API's values, and the <option>s built from them.

const LABELS = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

export function label(value) {
  return LABELS[value] ?? value;
}

/** Appends one <option> per value to `select`, after the options the page already has ("Any", "Choose…"). */
export function addOptions(select, values) {
  for (const value of values) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = label(value);
    select.append(option);
  }
}
