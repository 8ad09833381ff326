// The outbox: observations and taps saved with no connection wait here (IndexedDB) until they are sent.
