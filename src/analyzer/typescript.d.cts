// Types of ./typescript.cjs: ts-morph's `ts` namespace, value and types alike.
import { ts } from 'ts-morph';
export = ts;
