// Web platform globals present on Node >= 18, edge runtimes and browsers; core compiles without DOM or Node typings.
declare function btoa(data: string): string;
declare function atob(data: string): string;
declare class TextDecoder {
  decode(input: Uint8Array): string;
}
declare function structuredClone<T>(value: T): T;
declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;
