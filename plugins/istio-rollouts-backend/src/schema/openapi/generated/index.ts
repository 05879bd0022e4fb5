//

export * from './apis';
export * from './models';
export * from './router';
