import './definitions.js';
import './reminders.js';
