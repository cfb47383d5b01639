/** This package's version, recorded in every audit record (a test keeps it equal to package.json's). */
export const ORMAI_VERSION = '0.1.0';
