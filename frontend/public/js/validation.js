// Client-side checks for the create form. The rules themselves are the fields' attributes (required in index.html;
// maxlength and pattern set from rules.js by view/create-form.js: the same limits the server applies); this module
// reads them from there and words the messages, so the page can show them next to the field instead of the
// browser's bubbles.

const MESSAGES = {
  title: {
    missing: 'Enter a title.',
    tooLong: (max) => `Use at most ${max} characters.`,
  },
  message: {
    tooLong: (max) => `Use at most ${max} characters.`,
  },
  severity: {
    missing: 'Choose a severity.',
  },
  channel: {
    tooLong: (max) => `Use at most ${max} characters.`,
    pattern: 'Use lowercase letters, digits, ".", "_" or "-", starting with a letter or a digit.',
  },
};

/** The message for one field, or '' when its value is acceptable. */
export function checkField(field) {
  const words = MESSAGES[field.name] ?? {};
  // The server trims the title before checking it, so a title of spaces only is missing.
  const value = field.name === 'title' ? field.value.trim() : field.value;
  if (field.required && value === '') return words.missing ?? 'This field is required.';
  if (field.maxLength > 0 && value.length > field.maxLength) {
    return words.tooLong ? words.tooLong(field.maxLength) : 'This value is too long.';
  }
  if (value !== '' && field.getAttribute('pattern')) {
    const pattern = new RegExp(`^(?:${field.getAttribute('pattern')})$`, 'v');
    if (!pattern.test(value)) return words.pattern ?? 'This value has the wrong format.';
  }
  return '';
}
